/**
 * The verdicts on our node's network: who the hash ring says checks us ({@link kubenurse.checks.internal.verdict.ExpectedCheckers}),
 * the rules that turn silent checkers and failing paths into a problem ({@link kubenurse.checks.internal.verdict.VerdictJudge}),
 * and what is told of it: metrics, Kubernetes Events, the node condition ({@link kubenurse.checks.internal.verdict.Verdicts}).
 */
package kubenurse.checks.internal.verdict;
