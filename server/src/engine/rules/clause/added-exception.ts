/** added-exception — 標準にない例外（ただし書・この限りでない・を除き・責任の上限…）が加えられた箇所。 */
import { deviationRule } from './shared';

export const addedExceptionRule = deviationRule('added-exception', {
  defaultLevel: 'warning',
  fixable: true,
  messages: ['added', 'remove', 'restore'],
});
