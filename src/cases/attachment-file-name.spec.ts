import fc from 'fast-check';
import { contentDisposition } from '../common/http/content-disposition';
import { FILE_NAME_MAX, sanitizeFileName } from './attachment-file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['张三 身份证复印件.pdf', 'pdf', '张三 身份证复印件.pdf'],
    ['C:\\Users\\a\\scan.PNG', 'png', 'scan.PNG'],
    ['../../etc/passwd', 'pdf', 'passwd.pdf'],
    ['gnp.exe', 'png', 'gnp.exe.png'],
    ['a\u202egnp.exe', 'png', 'agnp.exe.png'],
    ['  ..hidden.jpeg. ', 'jpeg', 'hidden.jpeg'],
    ['photo.jpg', 'jpeg', 'photo.jpg'],
    ['a<b>:c|d?.pdf', 'pdf', 'a_b__c_d_.pdf'],
    ['tab\there\u0000.pdf', 'pdf', 'tabhere.pdf'],
    ['many   spaces .pdf', 'pdf', 'many spaces.pdf'],
    ['', 'ofd', '附件.ofd'],
    [undefined, 'docx', '附件.docx'],
    ['...', 'xlsx', '附件.xlsx'],
  ] as const)('%j as %s → %j', (raw, type, expected) => {
    expect(sanitizeFileName(raw, type)).toBe(expected);
  });

  it('cuts long names to 200 characters, keeping the extension', () => {
    const name = sanitizeFileName(`${'长'.repeat(300)}.pdf`, 'pdf');
    expect(Array.from(name)).toHaveLength(FILE_NAME_MAX);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('never yields an empty name, a path separator, a control character, or more than 200 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom('pdf', 'png', 'jpeg', 'tiff', 'docx', 'xlsx', 'ofd' as const), (raw, type) => {
        const name = sanitizeFileName(raw, type);
        expect(name.length).toBeGreaterThan(0);
        expect(Array.from(name).length).toBeLessThanOrEqual(FILE_NAME_MAX);
        // eslint-disable-next-line no-control-regex -- what must not survive
        expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f<>:"|?*]/);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name per RFC 5987', () => {
    expect(contentDisposition('张三 身份证复印件.pdf')).toBe(`attachment; filename="__ ______.pdf"; filename*=UTF-8''${encodeURIComponent('张三 身份证复印件.pdf')}`);
    expect(contentDisposition(`a"b;c%d(e)'*.csv`)).toBe(`attachment; filename="a_b_c_d(e)'*.csv"; filename*=UTF-8''a%22b%3Bc%25d%28e%29%27%2A.csv`);
  });
});
