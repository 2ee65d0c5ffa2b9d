/** One pure decision per case action (the runner in `src/cases` does the I/O around them). */
export * from './decision';
export * from './intake';
export * from './correction';
export * from './consultation';
export * from './extension';
export * from './fee';
export * from './reasons';
export * from './reply';
export * from './delivery';
export * from './conclusion';
export * from './review';
