import type {Family} from '../kit/family.js'
import {camsCallbackFamily} from './cams-callback.js'
import {camsHttpFamily} from './cams-http.js'
import {dashboardFamily} from './dashboard.js'
import {healthFamily} from './health.js'
import {iclockFamily} from './iclock/index.js'
import {pushLogFamily} from './push-log.js'
import {v1Family} from './v1.js'
import {workerAttendanceFamily} from './worker-attendance.js'

/**
 * Every API family `attend serve` speaks, one line each. A new family is one file over the kit
 * (src/server/kit/) and one line here; its paths and error format are declared in that file only.
 */
export const families: readonly Family[] = [
  healthFamily,
  workerAttendanceFamily,
  v1Family,
  camsHttpFamily,
  camsCallbackFamily,
  pushLogFamily,
  iclockFamily,
  dashboardFamily,
]
