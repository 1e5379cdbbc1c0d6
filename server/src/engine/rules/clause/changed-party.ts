/** changed-party — 義務や権利の主体が相手方に入れ替わった箇所（甲⇄乙、発注者⇄受注者）。 */
import { deviationRule } from './shared';

export const changedPartyRule = deviationRule('changed-party', {
  defaultLevel: 'warning',
  fixable: true,
  messages: ['swapped', 'restore'],
});
