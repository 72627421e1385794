// Public face of @unitrace/firmware-sdk.
export {};
