/**
 * The UDP path probe behind {@link kubenurse.checks.UdpProbe}: responder, prober, rate limit and metrics, reached
 * only through {@link kubenurse.checks.internal.udp.UdpProbeFactory}. Shares nothing with the HTTP checks.
 */
package kubenurse.checks.internal.udp;
