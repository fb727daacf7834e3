package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlAllowlistTests {

    private final UrlAllowlist allowlist = new UrlAllowlist(
            OutboundClientTests.properties(List.of("localhost", "127.0.0.1:8080", "Example.org", "::1")));

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/a", "https://LOCALHOST:9443/a?b=c", "http://127.0.0.1:8080/sim/delay/1",
        "http://example.org/", "http://[::1]:7000/"})
    void anAllowlistedHostIsAccepted(String url) {
        AllowedUrl allowed = allowlist.check(0, url);

        assertThat(allowed.url()).isEqualTo(url);
        assertThat(allowed.uri()).isEqualTo(URI.create(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:9090/        | host '127.0.0.1' is not in asyncpatterns.outbound.allowed-hosts",
        "http://127.0.0.1/             | host '127.0.0.1' is not in asyncpatterns.outbound.allowed-hosts",
        "http://localhost.evil.com/    | host 'localhost.evil.com' is not in asyncpatterns.outbound.allowed-hosts",
        "ftp://localhost/file          | must be an http or https URL",
        "file:///etc/passwd            | must be an http or https URL",
        "/relative/path                | must be an http or https URL",
        "http://user:pw@localhost/     | must not contain user info",
        "http://local host/            | is not a well-formed URL",
        "http:///nohost                | has no valid host",
        "'   '                         | must not be blank"})
    void aRefusedUrlSaysWhy(String url, String reason) {
        assertThatThrownBy(() -> allowlist.check(3, url))
            .isInstanceOfSatisfying(DisallowedUrlException.class, ex -> {
                assertThat(ex.index()).isEqualTo(3);
                assertThat(ex.reason()).isEqualTo(reason);
            });
    }

    @Test
    void anOverlongUrlIsRefusedWithoutParsing() {
        String url = "http://localhost/" + "a".repeat(UrlAllowlist.MAX_URL_LENGTH);

        assertThatThrownBy(() -> allowlist.check(0, url)).isInstanceOf(DisallowedUrlException.class)
            .hasMessageContaining("longer than");
    }

    @Test
    void checkingAListNamesTheFirstRefusedIndex() {
        List<String> urls = List.of("http://localhost/1", "http://localhost/2", "http://elsewhere/3", "ftp://x/4");

        assertThatThrownBy(() -> allowlist.checkAll(urls))
            .isInstanceOfSatisfying(DisallowedUrlException.class, ex -> assertThat(ex.index()).isEqualTo(2));
    }

    @Test
    void checkingAListKeepsItsOrder() {
        List<AllowedUrl> allowed = allowlist.checkAll(List.of("http://localhost/b", "http://localhost/a"));

        assertThat(allowed).extracting(AllowedUrl::url).containsExactly("http://localhost/b", "http://localhost/a");
    }

    @Test
    void aTcpHostIsCheckedAgainstTheSameEntries() {
        assertThat(allowlist.allowsHost("LOCALHOST", 9090)).isTrue();
        assertThat(allowlist.allowsHost("127.0.0.1", 8080)).isTrue();
        assertThat(allowlist.allowsHost("127.0.0.1", 8081)).isFalse();
        assertThat(allowlist.allowsHost("elsewhere", 9090)).isFalse();
    }

    @Test
    void aRedirectTargetIsCheckedTheSameWay() {
        assertThat(allowlist.isAllowed(URI.create("http://127.0.0.1:8080/x"))).isTrue();
        assertThat(allowlist.isAllowed(URI.create("http://127.0.0.1:8081/x"))).isFalse();
        assertThat(allowlist.isAllowed(URI.create("gopher://localhost/x"))).isFalse();
        assertThat(allowlist.isAllowed(URI.create("http://u@localhost/x"))).isFalse();
    }
}
