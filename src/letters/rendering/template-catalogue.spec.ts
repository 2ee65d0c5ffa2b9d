import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRAFTABLE_OUTCOMES } from '../../statute/outcomes';
import { NOTICE_CODES } from '../../statute/letter-catalogue';
import { REMEDIES_MARKERS, remediesVariant } from '../../statute/remedies';
import { TEMPLATE_CODES, templateCodeFor } from './letter-facts';
import { buildView } from './letter-view';
import { getTemplate, listTemplates, missingVariables, renderBody, requiredVariables, templatesDir, validateTemplateSource } from './template-catalogue';
import { sampleFacts } from './sample-facts';

describe('letter templates', () => {
  it('has one template per process notice and per reply outcome, each declaring its variables', () => {
    expect(TEMPLATE_CODES).toHaveLength(NOTICE_CODES.length + DRAFTABLE_OUTCOMES.length);
    expect(listTemplates().map((t) => t.code)).toEqual(TEMPLATE_CODES);
    for (const o of DRAFTABLE_OUTCOMES) expect(TEMPLATE_CODES).toContain(templateCodeFor('reply', o));
    expect(templateCodeFor('reply', 'other.fee_unpaid')).toBe('termination_notice');
    for (const t of listTemplates()) {
      expect(readFileSync(join(templatesDir(), `${t.code}.hbs`), 'utf8')).toMatch(/^\{\{!-- requires:/);
      if (t.code.startsWith('reply.') || t.code === 'termination_notice') expect(t.derived).toContain('remedies');
      else expect(t.derived).not.toContain('remedies');
      if (t.code === 'reply.rejected.confirmation' || t.code === 'reply.other.other') expect(t.derived).not.toContain('citation');
      else expect(t.derived).toContain('citation');
    }
  });

  it('renders every template with its sample facts: no blank, the articles, the fitting remedies sentence', () => {
    for (const code of TEMPLATE_CODES) {
      const facts = sampleFacts(code);
      expect([code, missingVariables(code, facts)]).toEqual([code, []]);
      const text = renderBody(facts).join('\n');
      const view = buildView(facts);
      expect(text).not.toMatch(/null|undefined|\{\{|NaN/);
      if (getTemplate(code).derived.includes('citation')) expect(text).toContain(view.citation as string);
      if (code.startsWith('reply.') || code === 'termination_notice') {
        const subject = code === 'termination_notice' ? 'termination_notice' : (code.slice(6) as never);
        expect(text).toContain(view.remedies as string);
        expect(text).toContain(REMEDIES_MARKERS[remediesVariant(subject, facts.date)]);
      } else expect(text).not.toContain('行政复议');
    }
  });

  it('states each withheld part with its ground and article; 36(五) names the competent agency; 36(六) the earlier reply', () => {
    const partial = renderBody(sampleFacts('reply.partial')).join('\n');
    expect(partial).toContain('出让合同中受让人的银行账户信息：保护第三方合法权益，依据《中华人民共和国政府信息公开条例》第十五条、第三十二条的规定不予公开。');
    expect(partial).toContain('内部讨论记录：属于四类过程性信息，依据《中华人民共和国政府信息公开条例》第十六条第二款');
    const named = renderBody(sampleFacts('reply.unavailable.not_held')).join('\n');
    expect(named).toContain('第三十六条第（五）项');
    expect(named).toContain('盘锦市财政局负责公开（联系方式：政府信息公开办公室）');
    const none = renderBody({ ...sampleFacts('reply.unavailable.not_held'), competentAgency: null }).join('\n');
    expect(none).toContain('第三十六条第（四）项');
    expect(none).toContain('该政府信息不存在');
    const dup = renderBody(sampleFacts('reply.rejected.duplicate')).join('\n');
    expect(dup).toContain('2025年1月20日');
    expect(dup).toContain('盘自然资依复〔2025〕3号');
    expect(dup).toContain('第三十六条第（六）项');
  });

  it('names what is missing, including the address of a letter going by post', () => {
    const f = sampleFacts('reply.partial');
    expect(missingVariables('reply.partial', { ...f, court: null, reconsiderationBody: ' ', withheld: [] })).toEqual(['withheld', 'reconsiderationBody', 'court']);
    expect(missingVariables('reply.partial', { ...f, deliveryMethod: 'post', addresseeAddress: null })).toEqual(['addresseeAddress']);
    expect(missingVariables('receipt', { ...sampleFacts('receipt'), trackingNumber: '' })).toEqual(['trackingNumber']);
    expect(requiredVariables('reply.granted')).toEqual(['addresseeName', 'agencyName', 'date', 'receiptDate', 'channel', 'subject', 'reconsiderationBody', 'court']);
    expect(requiredVariables('receipt')).not.toContain('court');
    // every required variable, when blank, is named
    for (const code of TEMPLATE_CODES) {
      for (const v of requiredVariables(code)) {
        if (v === 'date') continue;
        const facts = { ...sampleFacts(code), [v]: null };
        expect([code, missingVariables(code, facts)]).toEqual([code, [v]]);
      }
    }
  });

  describe('validateTemplateSource (agency overrides)', () => {
    const code = 'reply.withheld.process_info';
    const sample = sampleFacts(code);
    const builtin = getTemplate(code).source;

    it('accepts the built-in texts and a reworded one', () => {
      for (const t of listTemplates()) expect([t.code, validateTemplateSource(t.code, t.source, sampleFacts(t.code))]).toEqual([t.code, []]);
      const reworded = builtin.replace('经审查，', '经本机关审查，');
      expect(validateTemplateSource(code, reworded, sample)).toEqual([]);
    });

    it('refuses a syntax error, an undeclared variable, an unknown partial or block, a template without its articles or remedies', () => {
      expect(validateTemplateSource(code, '{{#if reasons}}x', sample)[0].kind).toBe('syntax');
      expect(validateTemplateSource(code, builtin + '{{idNumber}}', sample)).toEqual([{ kind: 'undeclared', message: '未声明的变量 idNumber' }]);
      expect(validateTemplateSource(code, builtin + '{{competentAgency.name}}', sample)[0].kind).toBe('undeclared');
      expect(validateTemplateSource(code, builtin + '{{> nosuch}}', sample)[0].message).toContain('nosuch');
      expect(validateTemplateSource(code, builtin + '{{#lookup reasons}}{{/lookup}}', sample)[0].kind).toBe('undeclared');
      expect(validateTemplateSource(code, builtin + '{{#each withheld}}{{phone}}{{/each}}', sample)[0].kind).toBe('undeclared');
      // a field other templates print, reached from inside a block or from the root, is still undeclared here
      expect(validateTemplateSource(code, builtin + '{{#each withheld}}{{../addresseeAddress}}{{/each}}', sample)).toEqual([{ kind: 'undeclared', message: '未声明的变量 addresseeAddress' }]);
      expect(validateTemplateSource(code, builtin + '{{@root.queryCode}}', sample)).toEqual([{ kind: 'undeclared', message: '未声明的变量 queryCode' }]);
      expect(validateTemplateSource(code, builtin + '{{#each withheld}}{{../reasons}}{{@index}}{{/each}}', sample)).toEqual([]);
      expect(validateTemplateSource(code, builtin.replace('{{> remedies}}', ''), sample)).toEqual([{ kind: 'required_part_missing', message: '模板缺少救济途径告知（{{remedies}}）' }]);
      expect(validateTemplateSource(code, builtin.replace('{{citation}}', '条例'), sample)[0].message).toContain('{{citation}}');
      // hidden behind a condition that never holds: found by trying the sample
      expect(validateTemplateSource(code, builtin.replace('{{> remedies}}', '{{#if reasons}}{{else}}{{remedies}}{{/if}}'), sample)[0].kind).toBe('required_part_missing');
      expect(validateTemplateSource('reply.nonsense', builtin)[0].message).toContain('未知的文书模板');
    });
  });
});
