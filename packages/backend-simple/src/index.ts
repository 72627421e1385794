// Public face of @unitrace/backend-simple.
export {};
