// The custom channel part of the saved state survives a save and a restart, and a damaged file is refused.
import { describe, expect, it } from '@jest/globals';
import { deserializeChannelData, emptyChannelData, serializeChannelData } from './types.js';

describe('saved custom channel data', () => {
  it('when the data is saved as JSON and read back, then every map holds the same entries', () => {
    const data = emptyChannelData();
    data.channels.set(1301, { id: 1301, appId: 7, name: 'Acme', webhookUrl: 'https://x.example/h', channelAccountConnectionRedirectUrl: null, channelDescription: null, channelLogoUrl: null, capabilities: { threadingModel: 'INTEGRATION_THREAD_ID' }, createdAt: 1, archived: false });
    data.threadKeys.set('810001:it:conv-1', 7_400_000_003);
    data.idempotency.set('1301:turn-1', 'abc');
    const back = deserializeChannelData(JSON.parse(JSON.stringify(serializeChannelData(data))));
    expect(back).toStrictEqual(data);
  });

  it('when an older file has no custom channel part, then the data starts empty', () => {
    expect(deserializeChannelData(undefined)).toStrictEqual(emptyChannelData());
  });

  it('when a part is not a list of entries, then reading fails naming it', () => {
    expect(() => deserializeChannelData({ channels: {} })).toThrow('customChannels.channels');
    expect(() => deserializeChannelData('x')).toThrow('custom channels object');
  });
});
