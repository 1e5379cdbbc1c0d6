/** altered-text — その他、標準の文言と異なる箇所（情報）。強化された箇所もここで知らせる。 */
import { deviationRule } from './shared';

export const alteredTextRule = deviationRule('altered-text', {
  defaultLevel: 'information',
  fixable: true,
  messages: ['changed', 'inserted', 'removed', 'strengthened', 'exception-removed', 'urgency-less-binding', 'restore', 'remove'],
});
