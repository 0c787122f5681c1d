// Where the EKS control plane keeps its records (clusters, node groups, their instances, updates,
// access entries): JSON documents in one SQLite file beside the clusters' stores, written in a
// transaction that is durable (WAL, synchronous=FULL) before the API answers, so an acknowledged
// CreateCluster survives kill -9 like any Kubernetes write.
import Database from 'better-sqlite3';

export type DocKind = 'cluster' | 'nodegroup' | 'update' | 'accessEntry' | 'addon' | 'fargateProfile';

export class EksStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly delStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private readonly delPrefixStmt: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec('CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, key))');
    this.getStmt = this.db.prepare('SELECT body FROM docs WHERE kind = ? AND key = ?').pluck();
    this.putStmt = this.db.prepare('INSERT INTO docs (kind, key, body) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body');
    this.delStmt = this.db.prepare('DELETE FROM docs WHERE kind = ? AND key = ?');
    this.listStmt = this.db.prepare('SELECT body FROM docs WHERE kind = ? AND key >= ? AND key < ? ORDER BY key').pluck();
    this.delPrefixStmt = this.db.prepare('DELETE FROM docs WHERE kind = ? AND key >= ? AND key < ?');
  }

  get<T>(kind: DocKind, key: string): T | undefined {
    const body = this.getStmt.get(kind, key) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  put(kind: DocKind, key: string, doc: unknown): void {
    this.putStmt.run(kind, key, JSON.stringify(doc));
  }

  delete(kind: DocKind, key: string): void {
    this.delStmt.run(kind, key);
  }

  /** Deletes every document whose key starts with prefix. */
  deletePrefix(kind: DocKind, prefix: string): void {
    this.delPrefixStmt.run(kind, prefix, prefix + '\uffff');
  }

  /** Documents whose key starts with prefix, in key order. */
  list<T>(kind: DocKind, prefix: string): T[] {
    return (this.listStmt.all(kind, prefix, prefix + '\uffff') as string[]).map((b) => JSON.parse(b) as T);
  }

  /** Runs fn in one transaction: all of its writes land, or none. */
  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}
