/**
 * VictoriaMetrics histograms (vmrange buckets) and their text exposition, which client_java cannot hold;
 * the check metrics record through them when KUBENURSE_VICTORIAMETRICS_HISTOGRAM is set.
 */
package kubenurse.checks.internal.victoriametrics;
