package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/** The firewall's loop-based header checks accept exactly what its regular expressions accept. */
class RequestFirewallTests {

    @Test
    void headerChecksAgreeWithTheFirewallsOwnOnEveryKindOfCharacter() {
        Random random = new Random(20261204);
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random);
            boolean name = StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text);
            boolean value = StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text);
            assertThat(RequestFirewall.HEADER_NAMES.test(text)).as("name %s", escaped(text)).isEqualTo(name);
            assertThat(RequestFirewall.HEADER_VALUES.test(text)).as("value %s", escaped(text)).isEqualTo(value);
            refused += name ? 0 : 1;
        }
        assertThat(refused).as("texts the firewall refuses, so both answers are tried").isGreaterThan(2_000);
    }

    @Test
    void anAbsentHeaderPassesAsItDoesTheFirewallsOwnCheck() {
        assertThat(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(null)).isTrue();
        assertThat(RequestFirewall.HEADER_VALUES.test(null)).isTrue();
        assertThat(RequestFirewall.HEADER_NAMES.test(null)).isTrue();
    }

    /** Mostly printable ASCII, with controls, tabs, DEL, Latin-1, unassigned code points and surrogates. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int length = random.nextInt(12); length > 0; length--) {
            switch (random.nextInt(10)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append(random.nextBoolean() ? '\t' : (char) 0x7f);
                case 2 -> text.append((char) (0x80 + random.nextInt(0x80)));
                case 3 -> text.appendCodePoint(0x0378 + random.nextInt(2)); // unassigned
                case 4 -> text.append((char) (0xd800 + random.nextInt(0x800))); // a lone surrogate
                case 5 -> text.appendCodePoint(0x1f600 + random.nextInt(0x50)); // a supplementary character
                case 6 -> text.appendCodePoint(random.nextInt(0x110000));
                default -> text.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        return text.toString();
    }

    private static String escaped(String text) {
        StringBuilder escaped = new StringBuilder();
        text.codePoints().forEach(cp -> escaped.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : "\\u{" + Integer.toHexString(cp) + "}"));
        return escaped.toString();
    }
}
