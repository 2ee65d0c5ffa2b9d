/** The letters' documents: facts, templates, layout and PDF (see README, Letters). */
export * from './letter-facts';
export { buildView, letterDate, titleOf, DERIVED_VARIABLES } from './letter-view';
export { getTemplate, listTemplates, missingVariables, requiredVariables, validateTemplateSource, renderBody, TemplateError, type LetterTemplate, type TemplateProblem } from './template-catalogue';
export { renderLetterPdf, letterDocument, closingOf, type RenderOptions } from './render-letter-pdf';
export { letterFonts, type LetterFontPaths } from './fonts';
export { sampleFacts } from './sample-facts';
export { A4, TYPE_AREA, GRID, CELL, LINE } from './letter-layout';
