import type {Device} from '../devices/service.js'
import type {Employee} from '../employees/query.js'
import {v1Id, v1Time} from './v1-attendance.js'

/**
 * Users and devices as seed 001 shows them: the v1 API answers with these, and webhook events
 * carry the same shapes, so an integration reads one format wherever the data comes from.
 */
export interface V1User {
  id: string
  /** Not in the seed: the code devices and reports use; POST /v1/attendance accepts it as user_id. */
  employee_code: string
  name: string
  email: string | null
  phone: string | null
  department: string | null
  created_at: string
  updated_at: string
}

export interface V1Device {
  id: string
  name: string
  serial_number: string
  type: string | null
  status: string
  location: string | null
  last_sync: string | null
  created_at: string
  updated_at: string
}

export function toV1User(employee: Employee): V1User {
  return {
    id: v1Id.user(employee.id),
    employee_code: employee.code,
    name: employee.name,
    email: employee.email,
    phone: employee.phone,
    department: employee.department,
    created_at: v1Time(employee.createdAt),
    updated_at: v1Time(employee.updatedAt),
  }
}

export function toV1Device(device: Device): V1Device {
  return {
    id: v1Id.device(device.id),
    name: device.name,
    serial_number: device.serial,
    type: device.type,
    status: device.status,
    location: device.location,
    last_sync: device.lastSeenAt === null ? null : v1Time(device.lastSeenAt),
    created_at: v1Time(device.createdAt),
    updated_at: v1Time(device.updatedAt),
  }
}
