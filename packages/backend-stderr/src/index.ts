// Public face of @unitrace/backend-stderr.
export {};
