// The whole package: both entry points. A host that needs only one side imports
// @marathon/security/sandbox or @marathon/security/trust and loads only that side's dependencies.
export * from './sandbox';
export * from './trust';
