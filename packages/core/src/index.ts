// Public face of @unitrace/core.
export {};
