import type {Family} from '../kit/family.js'

/** `GET /health`: no auth, for load balancers and uptime checks; 503 when the store cannot be read. */
export const healthFamily: Family = {
  name: 'health',
  paths: ['/health'],
  render: (failure) => ({status: 'error', message: failure.message}),
  hint: 'the health check is GET /health',
  async routes(app, {deps}) {
    app.get('/health', async (_request, reply) => {
      const store = await app.attendStore.serving.probe()
      const now = deps.now()
      const body = {
        status: store.reachable ? 'ok' : 'error',
        version: deps.version,
        uptime_seconds: Math.max(0, Math.floor((now - deps.startedAt) / 1000)),
        time: new Date(now).toISOString(),
        store: store.reachable ? {reachable: true, last_punch_id: store.lastPunchId} : {reachable: false, error: store.error},
      }
      return reply.code(store.reachable ? 200 : 503).send(body)
    })
  },
}
