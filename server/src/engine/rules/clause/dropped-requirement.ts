/** dropped-requirement — 標準にある要件（あらかじめ・書面による・承認を得て・連帯して・一切の・列挙の一部…）が落ちた箇所。 */
import { deviationRule } from './shared';

export const droppedRequirementRule = deviationRule('dropped-requirement', {
  defaultLevel: 'warning',
  fixable: true,
  messages: ['qualifier', 'list-member', 'restore'],
});
