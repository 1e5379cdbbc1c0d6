/** weakened-obligation — 義務・禁止の強さ（しなければならない > ものとする > 努める…）が標準より弱められた箇所、留保（原則として・可能な限り…）の追加。 */
import { deviationRule } from './shared';

export const weakenedObligationRule = deviationRule('weakened-obligation', {
  defaultLevel: 'warning',
  fixable: true,
  messages: ['weaker', 'weaker-prohibition', 'hedge', 'restore', 'restore-word', 'remove'],
});
