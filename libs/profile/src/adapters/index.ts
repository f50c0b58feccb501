// Redis adapters of the rolling profile. Imported by apps through `@lendstream/profile`.
export * from './redis-profile-keys';
export * from './profile-layout';
export * from './apply-outcome';
export * from './apply-profile-script';
export * from './profile-codec';
export * from './redis-profile-store-options';
export * from './redis-profile-store';
export * from './measure-profile-memory';
