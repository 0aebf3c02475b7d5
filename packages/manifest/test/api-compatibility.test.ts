import { API_VERSION } from '@marathon/plugin-api';
import { ApiIncompatibleError, HOST_API_VERSION, apiIncompatibilityReason, assertApiCompatible, isApiCompatible } from '@marathon/manifest';

describe('plugin API compatibility', () => {
  it('the host provides the API of the plugin-api it is built with', () => {
    expect(HOST_API_VERSION).toBe(API_VERSION);
  });

  it.each([
    ['1.0.0', '1.0.0', true],
    ['1.0.0', '1.4.2', true],
    ['1.2.0', '1.1.9', false],
    ['2.0.0', '1.0.0', false],
    ['1.0.0', '2.0.0', false],
    ['0.2.0', '0.2.5', true],
    ['0.2.0', '0.3.0', false],
    ['not-a-version', '1.0.0', false],
  ])('a plugin for %s on a host providing %s: %s', (pluginApi, hostApi, expected) => {
    expect(isApiCompatible(pluginApi, hostApi)).toBe(expected);
    expect(apiIncompatibilityReason(pluginApi, hostApi) === undefined).toBe(expected);
  });

  it('says to upgrade Marathon when the plugin needs a newer API', () => {
    expect(apiIncompatibilityReason('2.0.0', '1.0.0', 'slack-notify')).toBe(
      "plugin 'slack-notify' needs plugin API ^2.0.0, this Marathon provides 1.0.0: upgrade Marathon to a release " +
        'that provides plugin API 2.0.0 or later, or install a version of the plugin written for plugin API 1.x',
    );
    expect(apiIncompatibilityReason('1.3.0', '1.1.0')).toBe(
      'this plugin needs plugin API ^1.3.0, this Marathon provides 1.1.0: upgrade Marathon to a release that provides plugin API 1.3.0 or later',
    );
  });

  it('says to upgrade the plugin when it was written for an older API', () => {
    expect(apiIncompatibilityReason('1.0.0', '2.1.0', 'old')).toBe(
      "plugin 'old' needs plugin API ^1.0.0, this Marathon provides 2.1.0: install a version " +
        'of the plugin written for plugin API 2.x (this one was written for an older API)',
    );
  });

  it('throws a typed error with the versions', () => {
    expect(() => assertApiCompatible('1.0.0', '1.0.0')).not.toThrow();
    let thrown: unknown;
    try {
      assertApiCompatible('3.0.0', '1.0.0', 'x');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiIncompatibleError);
    expect(thrown).toMatchObject({ code: 'API_INCOMPATIBLE', plugin: 'x', pluginApi: '3.0.0', hostApi: '1.0.0' });
  });
});
