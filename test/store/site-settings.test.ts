import {expect, it} from 'vitest'

import {describeEngines} from '../helpers/engines.js'

describeEngines(
  'site settings',
  (store) => {
    it('reads the site zone and week off written for the site', async () => {
      const settings = await store().port.siteSettings.read()
      expect(settings.timezone).toBe('Africa/Nairobi')
      expect(settings.weekOff).toEqual(['sat', 'sun'])
    })
  },
  {timezone: 'Africa/Nairobi'},
)
