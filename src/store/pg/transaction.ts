import type pg from 'pg'

/**
 * Runs `work` in one transaction on a connection of the pool: committed when it resolves, rolled
 * back when it throws. A connection whose rollback fails too (the server went away) is discarded,
 * not handed to the next caller in an unknown state.
 */
/** The transaction a connection is in, as a key for what may be read once per transaction. */
const transactions = new WeakMap<pg.ClientBase, object>()

/**
 * A key that stays the same for the rest of `client`'s transaction (inTransaction's), or undefined
 * outside one: for reads that hold for the whole transaction, such as the active webhooks.
 */
export function transactionOf(client: pg.ClientBase): object | undefined {
  return transactions.get(client)
}

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  transactions.set(client, {})
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
    })
    throw error
  } finally {
    transactions.delete(client)
    client.release(broken)
  }
}

/**
 * Runs `work` in one read-only REPEATABLE READ transaction: every query sees the same snapshot, so
 * a report or a status page read never mixes rows from before and after another server's commit.
 */
export function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    return work(client)
  })
}
