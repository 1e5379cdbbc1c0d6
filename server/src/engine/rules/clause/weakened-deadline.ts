/** weakened-deadline — 期限・緊急度の語（直ちに・速やかに・遅滞なく）と明示の期限（60分以内など）が標準より弱められた箇所。 */
import { deviationRule } from './shared';

export const weakenedDeadlineRule = deviationRule('weakened-deadline', {
  defaultLevel: 'warning',
  fixable: true,
  messages: ['removed', 'weaker', 'non-legal', 'limit-removed', 'limit-lengthened', 'restore', 'restore-word'],
});
