// The Patriot simulator lives in the engine (the site check uses it in-process); the CLI keeps this path.
export * from '../engine/patriot/simulator';
