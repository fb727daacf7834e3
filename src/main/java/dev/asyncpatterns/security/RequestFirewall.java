package dev.asyncpatterns.security;

import java.util.function.Predicate;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * Spring Security's strict firewall, as it is by default, with its header checks written as a
 * loop over the characters instead of its regular expressions. The firewall checks a header
 * every time anything reads it, several times per request, and the regular expressions were a
 * visible share of a request's CPU. The loops accept exactly what the expressions accept (every
 * code point assigned and not a control character; a tab too in values; no text at all), which
 * {@code RequestFirewallTests} checks against the firewall's own predicates.
 */
final class RequestFirewall {

    static final Predicate<String> HEADER_NAMES = text -> assignedAndNotControl(text, false);
    static final Predicate<String> HEADER_VALUES = text -> assignedAndNotControl(text, true);

    private RequestFirewall() {
    }

    static StrictServerWebExchangeFirewall create() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(HEADER_NAMES);
        firewall.setAllowedHeaderValues(HEADER_VALUES);
        return firewall;
    }

    /** No text (a header asked for and absent) passes, as it does the firewall's own check. */
    private static boolean assignedAndNotControl(String text, boolean tabAllowed) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length();) {
            int codePoint = text.codePointAt(i);
            if (codePoint < 0x20 || codePoint > 0x7e) {
                int type = Character.getType(codePoint);
                boolean control = type == Character.CONTROL && !(tabAllowed && codePoint == '\t');
                if (control || type == Character.UNASSIGNED) {
                    return false;
                }
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
