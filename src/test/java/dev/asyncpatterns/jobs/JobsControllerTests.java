package dev.asyncpatterns.jobs;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;
import dev.asyncpatterns.web.ProblemTypes;


import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs API's HTTP edge: status codes, {@code Location}, validation and problem JSON, with the
 * store beneath the controller mocked. What the store decides (params per type, quotas, states) is
 * tested against the real registry in {@code JobRegistryTests} and {@code JobsApiIntegrationTests}.
 */
@Import({WebSlice.class, JobSubmitRoute.class})
@WebFluxTest(controllers = JobsController.class)
class JobsControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties(JobsProperties.class)
    @Import({IdempotentSubmits.class, MemoryIdempotencyKeys.class})
    static class Config {

        @Bean
        SimpleMeterRegistry meters() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private JsonMapper jsonMapper;

    @MockitoBean
    private JobStore store;

    private static final JobView PENDING = new JobView(JobId.random(), "sleep", "nightly", JobState.PENDING,
            Map.of("durationMs", 100), null, new JobView.Progress(0, 1L), null, null, null, Instant.now(), null, null,
            null);

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }



    @Test
    void anAcceptedJobAnswers202WithItsLocation() {
        when(store.submit(any(), any())).thenReturn(Mono.just(PENDING));

        post("{\"type\":\"sleep\",\"params\":{\"durationMs\":100},\"name\":\"nightly\"}")
            .expectStatus().isAccepted()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectHeader().value("Location", location -> assertThat(location).endsWith("/api/jobs/" + PENDING.id()))
            .expectBody()
            .jsonPath("$.id").isEqualTo(PENDING.id().toString())
            .jsonPath("$.state").isEqualTo("PENDING")
            .json(jsonMapper.writeValueAsString(PENDING), JsonCompareMode.STRICT);
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstAnswerWithItsLocationAndSaysSo() {
        when(store.submit(any(), any())).thenReturn(Mono.just(PENDING));
        String body = "{\"type\":\"sleep\",\"params\":{\"durationMs\":100,\"steps\":2}}";
        String reordered = "{ \"params\": {\"steps\": 2, \"durationMs\": 100}, \"type\": \"sleep\" }";

        keyed("slice-1", body).expectStatus().isAccepted().expectHeader().doesNotExist(JobSubmitRoute.REPLAYED);
        keyed("slice-1", reordered)
            .expectStatus().isAccepted()
            .expectHeader().valueEquals(JobSubmitRoute.REPLAYED, "true")
            .expectHeader().value("Location", location -> assertThat(location).endsWith("/api/jobs/" + PENDING.id()))
            .expectBody().jsonPath("$.id").isEqualTo(PENDING.id().toString());
        verify(store, times(1)).submit(any(), any());
    }

    @Test
    void anIdempotencyKeyThatIsEmptyTooLongOrNotVisibleAsciiAnswers400NamingTheHeader() {
        when(store.submit(any(), any())).thenReturn(Mono.just(PENDING));
        String body = "{\"type\":\"sleep\"}";
        expectInvalid(keyed("", body), "Idempotency-Key");
        expectInvalid(keyed("k".repeat(256), body), "Idempotency-Key");
        expectInvalid(keyed("with space", body), "Idempotency-Key");
        expectInvalid(keyed("caf\u00e9", body), "Idempotency-Key");
        keyed("k".repeat(255), body).expectStatus().isAccepted();
        verify(store, times(1)).submit(any(), any());
    }

    private WebTestClient.ResponseSpec keyed(String key, String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .header(IdempotencyKey.HEADER, key).bodyValue(body).exchange();
    }

    @Test
    void anInvalidBodyAnswers400NamingTheFieldBeforeTheStoreSeesIt() {
        expectInvalid(post("{\"params\":{}}"), "type");
        expectInvalid(post("{\"type\":\"sleep\",\"timeoutMs\":0}"), "timeoutMs");
        expectInvalid(post("{\"type\":\"sleep\",\"timeoutMs\":86400001}"), "timeoutMs");
        expectInvalid(post("{\"type\":\"sleep\",\"name\":\"" + "x".repeat(201) + "\"}"), "name");
        verifyNoInteractions(store);
    }

    @Test
    void malformedJsonAndAWrongContentTypeAreProblems() {
        expectProblem(post("{\"type\": "), 400);
        expectProblem(client.post().uri("/api/jobs").contentType(MediaType.TEXT_PLAIN).bodyValue("sleep").exchange(), 415);
        verifyNoInteractions(store);
    }

    @Test
    void theSubmitAnswersWhatItsAnnotatedMappingDidForABodyItCannotTake() {
        client.post().uri("/api/jobs").exchange()
            .expectStatus().isEqualTo(415)
            .expectHeader().valueEquals(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNSUPPORTED_MEDIA_TYPE.toString());
        expectProblem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).exchange(), 400)
            .jsonPath("$.detail").isEqualTo("No request body");
        expectProblem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.TEXT_PLAIN).bodyValue("{\"type\":\"sleep\"}").exchange(), 406)
            .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_ACCEPTABLE.toString());
        verifyNoInteractions(store);
    }

    @Test
    void theJobsPathListsItsMethodsAndRefusesTheOthersWith405() {
        client.options().uri("/api/jobs").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET,HEAD,POST,OPTIONS");
        expectProblem(client.put().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(),
                405)
            .jsonPath("$.type").isEqualTo(ProblemTypes.METHOD_NOT_ALLOWED.toString());
        client.delete().uri("/api/jobs").exchange()
            .expectStatus().isEqualTo(405)
            .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET,HEAD,POST");
        verifyNoInteractions(store);
    }

    @Test
    void everyInvalidFieldOfTheBodyIsListedInFieldOrder() {
        expectProblem(post("{\"type\":\" \",\"timeoutMs\":0,\"name\":\"" + "x".repeat(201) + "\"}"), 400)
            .jsonPath("$.errors[*].field").isEqualTo(List.of("name", "timeoutMs", "type"));
        verifyNoInteractions(store);
    }

    @Test
    void aRepeatedIdempotencyKeyHeaderIsOneKeyOfItsValuesJoined() {
        when(store.submit(any(), any())).thenReturn(Mono.just(PENDING));
        String body = "{\"type\":\"sleep\"}";

        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .header(IdempotencyKey.HEADER, "part-1", "part-2").bodyValue(body).exchange()
            .expectStatus().isAccepted().expectHeader().doesNotExist(JobSubmitRoute.REPLAYED);
        keyed("part-1,part-2", body).expectStatus().isAccepted().expectHeader().valueEquals(JobSubmitRoute.REPLAYED, "true");
        verify(store, times(1)).submit(any(), any());
    }

    @Test
    void anOutOfRangeWaitAnswers400NamingWaitMs() {
        expectInvalid(client.get().uri("/api/jobs/{id}?waitMs=-1", PENDING.id()).exchange(), "waitMs");
        expectInvalid(client.get().uri("/api/jobs/{id}?waitMs=86400001", PENDING.id()).exchange(), "waitMs");
        verifyNoInteractions(store);
    }

    @Test
    void anUnknownStateInTheListFilterAnswers400NamingState() {
        expectInvalid(client.get().uri("/api/jobs?state=SLEEPY").exchange(), "state");
    }

    @Test
    void anUnknownJobAnswers404ProblemJson() {
        when(store.await(eq("nope"), anyLong(), any())).thenReturn(Mono.error(new JobNotFoundException("nope")));

        expectProblem(client.get().uri("/api/jobs/nope").exchange(), 404);
    }

    @Test
    void anUnknownJobsEventStreamAnswers404ProblemJsonNotAnEvent() {
        when(store.events(eq("nope"), any())).thenReturn(Flux.error(new JobNotFoundException("nope")));

        expectProblem(client.get().uri("/api/jobs/nope/events").accept(MediaType.TEXT_EVENT_STREAM).exchange(), 404);
    }

    @Test
    void cancelAnswers202AndAnIllegalMoveAnswers409() {
        String id = PENDING.id().toString();
        when(store.cancel(eq(id), any())).thenReturn(Mono.just(PENDING))
            .thenReturn(Mono.error(new IllegalJobTransitionException(PENDING.id(), JobState.SUCCEEDED, JobState.CANCELLED)));

        client.post().uri("/api/jobs/{id}/cancel", id).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.id").isEqualTo(id);
        expectProblem(client.post().uri("/api/jobs/{id}/cancel", id).exchange(), 409);
    }

    @Test
    void deleteAnswers204WithoutABody() {
        when(store.delete(eq("done"), any())).thenReturn(Mono.empty());

        client.delete().uri("/api/jobs/done").exchange()
            .expectStatus().isNoContent()
            .expectBody().isEmpty();
    }
}
