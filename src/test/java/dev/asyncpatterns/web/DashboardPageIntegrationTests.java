package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard is plain static files (no build step), so the Maven build checks what a browser
 * would trip over first: {@code /} serving the page, and every module served as JavaScript with
 * each relative import resolving to a module that exists. The browser test in {@code e2e/} covers
 * the behaviour.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DashboardPageIntegrationTests {

    private static final Pattern RELATIVE_IMPORT = Pattern.compile("from '\\./([\\w-]+\\.js)'");

    @Autowired
    private WebTestClient client;

    @Test
    void theRootServesTheDashboardPage() {
        client.get().uri("/").accept(MediaType.TEXT_HTML)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectBody(String.class)
            .value(html -> assertThat(html)
                .contains("<script type=\"module\" src=\"dashboard/main.js\">")
                .contains(">Start job</button>")
                .contains(">Run fan-out</button>"));
    }

    @Test
    void headOfTheRootAnswersLikeGetWithoutABody() {
        client.head().uri("/").accept(MediaType.TEXT_HTML)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectBody().isEmpty();
    }

    @Test
    void everyDashboardModuleIsServedAsRevalidatedJavaScriptAndItsRelativeImportsExist() throws IOException {
        Resource[] modules = new PathMatchingResourcePatternResolver().getResources("classpath:/static/dashboard/*.js");
        List<String> names = Arrays.stream(modules).map(Resource::getFilename).toList();
        assertThat(names).contains("main.js");
        for (Resource module : modules) {
            // Browsers refuse to run a module served with a non-JavaScript media type, and must
            // revalidate it so that after an upgrade no page runs old modules beside new ones.
            client.get().uri("/dashboard/" + module.getFilename())
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/javascript"))
                .expectHeader().cacheControl(CacheControl.noCache());
            Matcher imports = RELATIVE_IMPORT.matcher(module.getContentAsString(StandardCharsets.UTF_8));
            while (imports.find()) {
                assertThat(names).as("%s imports ./%s", module.getFilename(), imports.group(1)).contains(imports.group(1));
            }
        }
    }

    @Test
    void theStylesheetAndIconTheSiteLinksAreServed() {
        client.get().uri("/dashboard/dashboard.css").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/css"));
        client.get().uri("/dashboard/favicon.svg").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("image/svg+xml"));
    }
}
