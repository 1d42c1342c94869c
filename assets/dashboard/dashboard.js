// attend status page. Plain browser JavaScript, shipped as is (no build step). Every value from the
// server becomes a text node or an attribute set through the DOM, never markup: a name such as
// <img src=x onerror=alert(1)> shows as those characters.
'use strict'
;(function () {
  const SVG = 'http://www.w3.org/2000/svg'
  /** No event (ping included) for this long: the stream is dead even if the browser has not noticed. */
  const SILENCE_MS = 45000
  const FEED_LENGTH = 50

  let state = null
  /** Server clock minus ours: "3 min ago" is measured against the server, whose clock stamped the data. */
  let clockOffset = 0
  let source = null
  let lastEventAt = 0
  let disconnectedSince = null
  let reconnectTimer = null

  const $ = (id) => document.getElementById(id)

  /** An element with properties and children; strings become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue
      if (key === 'class') node.className = value
      else if (key === 'text') node.textContent = value
      else node.setAttribute(key, String(value))
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child)
    return node
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag)
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value))
    if (text !== undefined) node.textContent = text
    return node
  }

  const serverNow = () => Date.now() + clockOffset
  /** Site-local HH:MM of an ISO instant the server wrote with the site's offset. */
  const hhmm = (iso) => (iso ? iso.slice(11, 16) : '–')

  /**
   * "just now", "40 s ago", "3 min ago", "2 h ago", "5 days ago": the words of attend devices list
   * (relativeTime in src/devices/presence.ts), so the page and the command say the same thing.
   */
  function ago(iso) {
    if (!iso) return 'never'
    const seconds = Math.round((serverNow() - Date.parse(iso)) / 1000)
    if (seconds < 0) return seconds > -60 ? 'just now' : `in ${span(-seconds)}`
    if (seconds < 10) return 'just now'
    return `${span(seconds)} ago`
  }

  function span(seconds) {
    if (seconds < 60) return `${seconds} s`
    const minutes = Math.floor(seconds / 60)
    if (minutes < 60) return `${minutes} min`
    const hours = Math.floor(minutes / 60)
    if (hours < 48) return `${hours} h`
    const days = Math.floor(hours / 24)
    return `${days} day${days === 1 ? '' : 's'}`
  }

  // ---- Today ---------------------------------------------------------------------------------

  /** [count, label, tone, shown only when not zero] */
  const TILES = [
    ['present', 'Present', 'good', false],
    ['late', 'Late', 'warn', false],
    ['absent', 'Absent so far', 'bad', false],
    ['leave', 'On leave', 'info', false],
    ['pending', 'Not yet due', '', false],
    ['half_day', 'Half day', 'warn', true],
    ['holiday', 'Holiday', '', true],
    ['weekly_off', 'Weekly off', '', true],
  ]

  function renderToday(today) {
    const c = today.counts
    const tiles = TILES.filter(([key, , , optional]) => !optional || c[key] > 0).map(([key, label, tone]) =>
      el('div', {class: `tile ${tone}`, 'data-count': key}, el('div', {class: 'value', text: String(c[key])}), el('div', {class: 'label', text: label})),
    )
    $('today-tiles').replaceChildren(...tiles)
    $('today-note').textContent =
      `${c.on_roll} on the roll. ${c.pending_in} of those not yet due are at work with their shift still running; ` +
      'a day is present or absent once its shift is over, as in attend report daily.'
    const rows = today.departments.map((d) =>
      el('tr', {}, el('td', {text: d.name}), ...['on_roll', 'present', 'late', 'absent', 'leave', 'pending'].map((k) => el('td', {class: 'n', text: String(d[k])}))),
    )
    const body = $('departments').tBodies[0]
    body.replaceChildren(...rows)
    $('departments').hidden = today.departments.length === 0
  }

  // ---- In now --------------------------------------------------------------------------------

  function renderInNow(entries) {
    $('in-now-count').textContent = String(entries.length)
    const query = $('in-now-filter').value.trim().toLowerCase()
    const shown = query ? entries.filter((e) => `${e.name} ${e.code} ${e.department || ''}`.toLowerCase().includes(query)) : entries
    $('in-now-list').replaceChildren(
      ...shown.map((e) =>
        el(
          'li',
          {'data-code': e.code},
          el('span', {class: 'who'}, el('strong', {text: e.name}), ` ${e.code}`, e.department ? el('span', {class: 'muted', text: ` · ${e.department}`}) : null),
          el('span', {class: 'when', title: `in since ${hhmm(e.since)}, last punch on ${e.device}`, text: `${hhmm(e.since)} · last ${hhmm(e.last_punch)}`}),
        ),
      ),
    )
    $('in-now-empty').hidden = entries.length > 0
  }

  // ---- Punches -------------------------------------------------------------------------------

  function punchItem(p, fresh) {
    const direction = p.direction ? ` ${p.direction}` : ''
    const device = p.device_name ? `${p.device_name} (${p.device})` : p.device
    const person = p.employee
      ? el('span', {class: 'who'}, el('strong', {text: p.employee.name}), ` ${p.employee.code}`)
      : el('span', {class: 'who unmapped'}, `Unmapped user ${p.device_user_id}`, p.enrolled_name ? el('span', {class: 'muted', text: ` (“${p.enrolled_name}” on the device)`}) : null)
    return el(
      'li',
      {class: fresh ? 'new' : null, 'data-punch': p.id},
      el('span', {class: 'time', title: p.time, text: p.time.slice(0, 10) === state.today.date ? p.time.slice(11, 19) : `${p.time.slice(5, 10)} ${p.time.slice(11, 16)}`}),
      person,
      el('span', {class: 'meta', text: `${device} · ${p.source}${direction}${p.manual ? ' · manual' : ''}`}),
      p.map_command ? el('code', {class: 'cmd', title: 'Run this with the employee code to map the user', text: p.map_command}) : null,
    )
  }

  /** The newest arrivals, shown latest punch first (a batch a terminal uploads arrives all at once). */
  function byTime(punches) {
    return punches.sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || b.id - a.id)
  }

  function renderPunches(punches, freshIds) {
    $('punch-list').replaceChildren(...punches.map((p) => punchItem(p, freshIds && freshIds.has(p.id))))
    $('punch-empty').hidden = punches.length > 0
  }

  function addPunches(punches) {
    if (!state) return
    const known = new Set(state.recent.map((p) => p.id))
    const fresh = punches.filter((p) => !known.has(p.id))
    if (fresh.length === 0) return
    state.recent = byTime([...fresh, ...state.recent].sort((a, b) => b.id - a.id).slice(0, FEED_LENGTH))
    renderPunches(state.recent, new Set(fresh.map((p) => p.id)))
  }

  // ---- Devices -------------------------------------------------------------------------------

  function lastPull(d) {
    if (d.mode !== 'agent') return null
    if (!d.last_pull) return el('span', {class: 'pull muted', text: 'Agent mode · not pulled yet'})
    const p = d.last_pull
    return el(
      'span',
      {class: `pull${p.ok ? '' : ' error-text'}`, title: p.error || p.at},
      p.ok ? `Last pull ok: ${p.records_new ?? 0} new of ${p.records_read ?? 0} read` : `Last pull failed: ${p.error}`,
      el('span', {class: 'muted'}, ' · ', el('span', {'data-ago': p.at, text: ago(p.at)})),
    )
  }

  function renderDevices(view) {
    const rows = view.devices.map((d) => {
      // The words of attend devices list; an inactive device (its punches refused) says so too.
      const presence = d.presence === 'online' ? ['online', 'good'] : d.presence === 'offline' ? ['offline', 'bad'] : ['never seen', 'muted']
      return el(
        'tr',
        {'data-serial': d.serial, 'data-presence': presence[0], 'data-status': d.status},
        el(
          'td',
          {},
          el('strong', {text: d.name}),
          el('span', {class: 'muted small', text: ` ${d.serial}${d.location ? ` · ${d.location}` : ''} · ${d.mode}`}),
          lastPull(d),
        ),
        el(
          'td',
          {},
          el('span', {class: `badge ${presence[1]}`, text: presence[0]}),
          d.status === 'inactive' ? el('span', {class: 'badge muted', title: `attend serve refuses its punches; attend devices update ${d.serial} --status active accepts them again`, text: 'inactive'}) : null,
        ),
        el('td', {class: 'when', 'data-ago': d.last_seen_at || '', title: d.last_seen_at || '', text: ago(d.last_seen_at)}),
      )
    })
    $('device-table').tBodies[0].replaceChildren(...rows)
    $('device-table').hidden = view.devices.length === 0
    $('device-empty').hidden = view.devices.length > 0
    const more = view.refused_total - view.refused.length
    const refused = view.refused.map((r) =>
      el(
        'li',
        {'data-serial': r.serial},
        el('code', {text: r.serial}),
        el(
          'span',
          {class: 'muted'},
          ` · ${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'}, last `,
          el('span', {'data-ago': r.last_seen_at, text: ago(r.last_seen_at)}),
          r.remote_address ? ` from ${r.remote_address}` : null,
        ),
      ),
    )
    // replaceChildren would print a null as the word "null": the count is added only when due.
    if (more > 0) refused.push(el('li', {class: 'muted', 'data-more': more, text: `and ${more} more (attend devices list shows them all)`}))
    $('refused-list').replaceChildren(...refused)
    $('refused').hidden = view.refused.length === 0
  }

  // ---- Month ---------------------------------------------------------------------------------

  function renderMonth(month) {
    const box = $('month-chart')
    if (!month) return box.replaceChildren(el('p', {class: 'muted', text: 'The month is being read…'}))
    const known = month.days.filter((d) => d.percent !== null)
    const average = known.length ? known.reduce((sum, d) => sum + d.percent, 0) / known.length : null
    $('month-average').textContent = average === null ? '' : `${average.toFixed(1)} % on average`
    const width = 640
    const height = 150
    const top = 14
    const bottom = 18
    const left = 30
    const full = height - top - bottom
    const slot = (width - left) / month.days_in_month
    const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'xMidYMid meet'})
    for (const pct of [0, 50, 100]) {
      const y = top + full * (1 - pct / 100)
      chart.append(svg('line', {class: 'axis', x1: left, x2: width, y1: y, y2: y}), svg('text', {x: 0, y: y + 3}, `${pct}%`))
    }
    for (let i = 0; i < month.days_in_month; i++) {
      const day = month.days[i]
      const x = left + i * slot + slot * 0.15
      const w = slot * 0.7
      chart.append(svg('text', {x: x + w / 2, y: height - 5, 'text-anchor': 'middle'}, String(i + 1)))
      if (!day) continue
      const h = day.percent === null ? 2 : Math.max(2, (full * day.percent) / 100)
      const bar = svg('rect', {class: `bar${day.percent === null ? ' none' : day.percent < 75 ? ' low' : ''}`, x, y: top + full - h, width: w, height: h, 'data-date': day.date, 'data-percent': day.percent ?? ''})
      bar.append(svg('title', {}, day.percent === null ? `${day.date}: nobody was due` : `${day.date}: ${day.percent}% (${day.present} of ${day.due} due)`))
      chart.append(bar)
      if (day.percent !== null) chart.append(svg('text', {class: 'pct', x: x + w / 2, y: top + full - h - 3, 'text-anchor': 'middle'}, String(Math.round(day.percent))))
    }
    box.setAttribute('aria-label', `Attendance per day, ${month.from} to ${month.to}${average === null ? '' : `, ${average.toFixed(1)} % on average`}`)
    box.replaceChildren(chart)
  }

  // ---- The whole page ------------------------------------------------------------------------

  function render(snapshot) {
    state = snapshot
    clockOffset = snapshot.now - Date.now()
    document.title = `${snapshot.title} · status`
    $('site-title').textContent = snapshot.title
    $('site-date').textContent = `${snapshot.today.date} · ${snapshot.zone}`
    if (snapshot.signed_in_as) $('signed-in').textContent = `key “${snapshot.signed_in_as}”`
    renderToday(snapshot.today)
    renderInNow(snapshot.in_now)
    renderPunches(byTime(snapshot.recent))
    renderDevices(snapshot.devices)
    renderMonth(snapshot.month)
    const month = $('download-month')
    if (!month.value) month.value = snapshot.today.date.slice(0, 7)
    $('generated').textContent = `Figures as of ${snapshot.as_of.slice(11, 19)} (${snapshot.zone}); times are site time.`
  }

  function refreshAgo() {
    for (const node of document.querySelectorAll('[data-ago]')) {
      const iso = node.getAttribute('data-ago')
      if (iso) node.textContent = ago(iso)
    }
  }

  // ---- Live feed -----------------------------------------------------------------------------

  function setLive(kind, text) {
    const badge = $('live-state')
    badge.className = `live-state ${kind}`
    badge.textContent = text
    const banner = $('banner')
    if (kind === 'offline') {
      disconnectedSince ??= new Date()
      banner.textContent = `The live feed is disconnected (since ${disconnectedSince.toTimeString().slice(0, 5)}): the figures below may be out of date. Reconnecting…`
      banner.hidden = false
    } else if (kind === 'online') {
      disconnectedSince = null
      banner.hidden = true
    }
  }

  function signedOut(message) {
    if (source) source.close()
    source = null
    setLive('offline', 'Signed out')
    const banner = $('banner')
    banner.replaceChildren(`${message} `, el('a', {href: location.pathname, text: 'Sign in'}))
    banner.hidden = false
  }

  async function load() {
    const response = await fetch('/dashboard/api/state', {credentials: 'same-origin', cache: 'no-store'})
    if (response.status === 401) return signedOut('Your session has ended.')
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    render(await response.json())
    return true
  }

  function connect() {
    clearTimeout(reconnectTimer)
    if (source) source.close()
    source = new EventSource('/dashboard/events')
    lastEventAt = Date.now()
    const heard = () => {
      lastEventAt = Date.now()
      setLive('online', 'Live')
    }
    source.addEventListener('open', heard)
    source.addEventListener('snapshot', (event) => {
      heard()
      const snapshot = JSON.parse(event.data)
      render({...snapshot, signed_in_as: state && state.signed_in_as})
    })
    source.addEventListener('punches', (event) => {
      heard()
      const data = JSON.parse(event.data)
      clockOffset = data.now - Date.now()
      addPunches(data.punches)
    })
    source.addEventListener('devices', (event) => {
      heard()
      const data = JSON.parse(event.data)
      clockOffset = data.now - Date.now()
      if (state) state.devices = data.devices
      renderDevices(data.devices)
    })
    source.addEventListener('ping', (event) => {
      heard()
      clockOffset = JSON.parse(event.data).now - Date.now()
    })
    source.addEventListener('signed-out', (event) => signedOut(JSON.parse(event.data).message))
    source.addEventListener('unavailable', () => setLive('offline', 'Disconnected'))
    source.addEventListener('error', () => {
      setLive('offline', 'Disconnected')
      // EventSource retries by itself while it can; a refused stream (401, 503) closes it for good.
      if (source && source.readyState === EventSource.CLOSED) reconnectLater()
    })
  }

  function reconnectLater() {
    clearTimeout(reconnectTimer)
    reconnectTimer = setTimeout(async () => {
      try {
        if ((await load()) === true) connect()
      } catch {
        reconnectLater()
      }
    }, 5000)
  }

  function watchdog() {
    if (source && source.readyState !== EventSource.CLOSED && Date.now() - lastEventAt > SILENCE_MS) {
      setLive('offline', 'Disconnected')
      source.close()
      reconnectLater()
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('in-now-filter').addEventListener('input', () => state && renderInNow(state.in_now))
    load()
      .then((ok) => ok === true && connect())
      .catch(() => {
        setLive('offline', 'Disconnected')
        reconnectLater()
      })
    setInterval(watchdog, 5000)
    // "12 s ago" counts in seconds, as attend devices list would print it at that moment.
    setInterval(refreshAgo, 1000)
  })
})()
