// Public face of @unitrace/backend-ust-json (reader).
export {};
