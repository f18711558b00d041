// Moved to src/attachments/ (a leaf), so that web uploads and email share one policy.
export * from '../../attachments/attachment-policy';
