import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A release attachment of a case, as a reply lists it. */
export interface ReleaseCandidate {
  id: string;
  fileName: string;
  size: number;
}

/** A file provided with a reply: the attachment's row as stored. */
export interface ReleasedFile {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

interface ReleasedRow {
  attachment_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
}

const RELEASED_COLUMNS = `a.id AS attachment_id, a.file_name, a.content_type, a.size, a.sha256, a.storage_key`;
/** the current replies of a case (issued, delivered; not superseded): their files are the applicant's */
const CURRENT_REPLY_FILES = `FROM letter_release_files r
  JOIN letters l ON l.id = r.letter_id
  JOIN attachments a ON a.id = r.attachment_id AND a.case_id = l.case_id
 WHERE l.case_id = $1 AND l.code = 'reply' AND l.state IN ('issued', 'delivered')`;

const released = (r: ReleasedRow): ReleasedFile => ({ attachmentId: r.attachment_id, fileName: r.file_name, contentType: r.content_type, size: Number(r.size), sha256: r.sha256, storageKey: r.storage_key });

/**
 * The files a reply provides (`letter_release_files`, insert-only): the case's `release` attachments recorded with the
 * reply that lists them, in the step's transaction; read back for the reply's mail and the portal's downloads.
 */
@Injectable()
export class ReleaseFilesRepository {
  constructor(private readonly ds: DataSource) {}

  /** The case's attachments marked for release, oldest first (the order the reply lists them in). */
  async candidates(caseId: string, m?: EntityManager): Promise<ReleaseCandidate[]> {
    const rows: { id: string; file_name: string; size: number }[] = await (m ?? this.ds.manager).query(
      `SELECT id, file_name, size FROM attachments WHERE case_id = $1 AND kind = 'release' ORDER BY created_at, id`,
      [caseId],
    );
    return rows.map((r) => ({ id: r.id, fileName: r.file_name, size: Number(r.size) }));
  }

  /** Records the files the reply provides, in its order (in the transaction that issues it). */
  async record(m: EntityManager, letterId: string, attachmentIds: readonly string[]): Promise<void> {
    if (!attachmentIds.length) return;
    await m.query(
      `INSERT INTO letter_release_files (letter_id, attachment_id, position)
       SELECT $1, id, n::int FROM unnest($2::uuid[]) WITH ORDINALITY AS f(id, n)`,
      [letterId, attachmentIds],
    );
  }

  /** A reply that supersedes another provides the same files (in the transaction that issues it). */
  async copy(m: EntityManager, fromLetterId: string, toLetterId: string): Promise<void> {
    await m.query(`INSERT INTO letter_release_files (letter_id, attachment_id, position) SELECT $2, attachment_id, position FROM letter_release_files WHERE letter_id = $1`, [fromLetterId, toLetterId]);
  }

  /** The files provided with this letter, in its order. */
  async ofLetter(letterId: string, m?: EntityManager): Promise<ReleasedFile[]> {
    const rows: ReleasedRow[] = await (m ?? this.ds.manager).query(
      `SELECT ${RELEASED_COLUMNS} FROM letter_release_files r JOIN attachments a ON a.id = r.attachment_id WHERE r.letter_id = $1 ORDER BY r.position`,
      [letterId],
    );
    return rows.map(released);
  }

  /** The files the case's current replies provided, each once, in the order they went out. */
  async ofCase(caseId: string): Promise<ReleasedFile[]> {
    const rows: ReleasedRow[] = await this.ds.query(
      `SELECT * FROM (SELECT DISTINCT ON (a.id) ${RELEASED_COLUMNS}, l.issued_at, r.position ${CURRENT_REPLY_FILES} ORDER BY a.id, l.issued_at, r.position) f
        ORDER BY issued_at, position`,
      [caseId],
    );
    return rows.map(released);
  }

  /** One file a current reply of the case provided; null for any other attachment. */
  async providedOfCase(caseId: string, attachmentId: string): Promise<ReleasedFile | null> {
    const rows: ReleasedRow[] = await this.ds.query(`SELECT ${RELEASED_COLUMNS} ${CURRENT_REPLY_FILES} AND r.attachment_id = $2 LIMIT 1`, [caseId, attachmentId]);
    return rows[0] ? released(rows[0]) : null;
  }
}
