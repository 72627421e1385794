// Public face of @unitrace/backend-simple (reader).
export {};
