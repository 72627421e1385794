// Public face of @unitrace/tools.
export {};
