'use strict';
// The local registry could not be set up; the message says what to do about it.

class LocalRegistryError extends Error {
  /**
   * @param {'NOT_BUILT' | 'PRIVATE_DEPENDENCY' | 'PUBLISH_FAILED' | 'NOT_INSTALLED'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'LocalRegistryError';
    this.code = code;
  }
}

module.exports = { LocalRegistryError };
