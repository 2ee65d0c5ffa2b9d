import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LetterTemplateOverrideEntity } from './letter-template-override.entity';

/** Agencies' template texts: insert-only versions, the highest in force. */
@Injectable()
export class LetterTemplatesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(m?: EntityManager): EntityManager {
    return m ?? this.ds.manager;
  }

  /** The version in force of each template the agency has replaced. */
  async currentForAgency(agencyId: string, m?: EntityManager): Promise<LetterTemplateOverrideEntity[]> {
    return this.m(m)
      .getRepository(LetterTemplateOverrideEntity)
      .createQueryBuilder('o')
      .distinctOn(['o.templateCode'])
      .where('o.agencyId = :agencyId', { agencyId })
      .orderBy('o.templateCode')
      .addOrderBy('o.version', 'DESC')
      .getMany();
  }

  async current(agencyId: string, templateCode: string, m?: EntityManager): Promise<LetterTemplateOverrideEntity | null> {
    return this.m(m).getRepository(LetterTemplateOverrideEntity).findOne({ where: { agencyId, templateCode }, order: { version: 'DESC' } });
  }

  async byVersion(agencyId: string, templateCode: string, version: number, m?: EntityManager): Promise<LetterTemplateOverrideEntity | null> {
    return this.m(m).getRepository(LetterTemplateOverrideEntity).findOne({ where: { agencyId, templateCode, version } });
  }

  /** Inserts the next version; two saves at once cannot take one number (unique index), the loser retries. */
  async insertNext(agencyId: string, templateCode: string, source: string, createdBy: string, at: Date): Promise<LetterTemplateOverrideEntity> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows: { id: string }[] = await this.ds.query(
          `INSERT INTO letter_template_overrides (agency_id, template_code, version, source, created_by, created_at)
           SELECT $1::uuid, $2::varchar, COALESCE(MAX(version), 0) + 1, $3::text, $4::uuid, $5::timestamptz FROM letter_template_overrides WHERE agency_id = $1::uuid AND template_code = $2::varchar
           RETURNING id`,
          [agencyId, templateCode, source, createdBy, at],
        );
        return (await this.ds.getRepository(LetterTemplateOverrideEntity).findOneByOrFail({ id: rows[0].id }));
      } catch (e) {
        if ((e as { code?: string }).code === '23505' && attempt < 5) continue;
        throw e;
      }
    }
  }
}
