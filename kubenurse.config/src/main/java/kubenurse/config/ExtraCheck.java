package kubenurse.config;

import java.net.URI;

/**
 * One entry of KUBENURSE_EXTRA_CHECKS: an HTTP GET of {@code url} reported under type {@code name}.
 *
 * @param name the check's type label, unique and not one of the built-in types
 * @param url  absolute http(s) URL, called as given
 */
public record ExtraCheck(String name, URI url) {
}
