// Public face of @unitrace/backend-ust-json.
export {};
