/** GS1 identifiers belong to the core (the schema formats check them); the canonical model re-exports them. */
export * from '../sdk/gs1';
