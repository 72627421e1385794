// Public face of @unitrace/core (codegen/index).
export {};
