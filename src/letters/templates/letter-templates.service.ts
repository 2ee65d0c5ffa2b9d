import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AgenciesRepository } from '../../agencies/agencies.repository';
import type { AgencyEntity } from '../../agencies/agency.entity';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { EntityManager } from 'typeorm';
import { isTemplateCode, TEMPLATE_CODES, type LetterFacts, type TemplateCode } from '../rendering/letter-facts';
import { titleOf } from '../rendering/letter-view';
import { LetterRenderThread } from '../rendering/render-thread';
import { sampleFacts } from '../rendering/sample-facts';
import { getTemplate, validateTemplateSource } from '../rendering/template-catalogue';
import type { LetterTemplateOverrideEntity } from './letter-template-override.entity';
import { LetterTemplatesRepository } from './letter-templates.repository';
import type { LetterTemplateDto, LetterTemplateListDto, LetterTemplateSummaryDto } from './dto/letter-template.dto';

/** The template a letter is made from: the agency's version in force, or the built-in one (version 0). */
export interface TemplateInForce {
  readonly code: TemplateCode;
  readonly version: number;
  /** the agency's text; null: the built-in template */
  readonly source: string | null;
}

/**
 * Agency overrides of the letter templates: listed, read, saved as a new version after validation (syntax,
 * declared variables only, the articles and the remedies sentence still printed), previewed as a PDF with
 * sample facts and the agency's own name, reconsideration body and court, rendered off the event loop.
 */
@Injectable()
export class LetterTemplatesService implements OnModuleDestroy {
  private readonly thread = new LetterRenderThread();

  constructor(
    private readonly repo: LetterTemplatesRepository,
    private readonly agencies: AgenciesRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.thread.close();
  }

  /** For the letters service: the template (and version) a new letter of the agency is made from. */
  async inForce(agencyId: string, code: TemplateCode, m?: EntityManager): Promise<TemplateInForce> {
    const o = await this.repo.current(agencyId, code, m);
    return { code, version: o?.version ?? 0, source: o?.source ?? null };
  }

  /** The text of a given version (0: built-in), to re-render a letter exactly as it was made. */
  async sourceOf(agencyId: string, code: TemplateCode, version: number, m?: EntityManager): Promise<string | null> {
    if (version === 0) return null;
    const o = await this.repo.byVersion(agencyId, code, version, m);
    if (!o) throw DomainError.notFound('文书模板版本');
    return o.source;
  }

  async list(agencyId: string): Promise<LetterTemplateListDto> {
    await this.agency(agencyId);
    const current = new Map((await this.repo.currentForAgency(agencyId)).map((o) => [o.templateCode, o]));
    return { items: TEMPLATE_CODES.map((c) => this.summary(c, current.get(c) ?? null)) };
  }

  async get(agencyId: string, code: string): Promise<LetterTemplateDto> {
    await this.agency(agencyId);
    const c = this.code(code);
    return this.full(c, await this.repo.current(agencyId, c));
  }

  async save(agencyId: string, code: string, source: string, user: AuthUser): Promise<LetterTemplateDto> {
    const agency = await this.agency(agencyId);
    const c = this.code(code);
    const problems = validateTemplateSource(c, source, this.sample(c, agency));
    if (problems.length) throw DomainError.validation(problems.map((p) => ({ field: 'source', message: p.message })), `模板文本不合格：${problems[0].message}`);
    const saved = await this.repo.insertNext(agencyId, c, source, user.id, this.clock.now());
    return this.full(c, saved);
  }

  /** A PDF of the template (the given text, or the version in force) with sample facts. */
  async preview(agencyId: string, code: string, source: string | undefined): Promise<Buffer> {
    const agency = await this.agency(agencyId);
    const c = this.code(code);
    const facts = this.sample(c, agency);
    let text = source;
    if (text !== undefined) {
      const problems = validateTemplateSource(c, text, facts);
      if (problems.length) throw DomainError.validation(problems.map((p) => ({ field: 'source', message: p.message })), `模板文本不合格：${problems[0].message}`);
    } else text = (await this.repo.current(agencyId, c))?.source;
    return this.thread.render(facts, { templateSource: text, fonts: this.config.letterFonts });
  }

  private sample(code: TemplateCode, agency: AgencyEntity): LetterFacts {
    const s = sampleFacts(code);
    return { ...s, agencyName: agency.name, reconsiderationBody: agency.reconsiderationBody ?? s.reconsiderationBody, court: agency.court ?? s.court };
  }

  private async agency(id: string): Promise<AgencyEntity> {
    const a = await this.agencies.findById(id);
    if (!a) throw DomainError.notFound('机关');
    return a;
  }

  private code(code: string): TemplateCode {
    if (!isTemplateCode(code)) throw DomainError.notFound('文书模板');
    return code;
  }

  private summary(code: TemplateCode, o: LetterTemplateOverrideEntity | null): LetterTemplateSummaryDto {
    const t = getTemplate(code);
    return {
      code,
      title: titleOf(code),
      version: o?.version ?? 0,
      requires: [...t.declaration.requires],
      optional: [...t.declaration.optional],
      requiredParts: t.derived.filter((d) => d !== 'outcomeLabel'),
      savedAt: o ? o.createdAt.toISOString() : null,
    };
  }

  private full(code: TemplateCode, o: LetterTemplateOverrideEntity | null): LetterTemplateDto {
    const t = getTemplate(code);
    return { ...this.summary(code, o), source: o?.source ?? t.source, builtInSource: t.source, savedBy: o?.createdBy ?? null };
  }
}
