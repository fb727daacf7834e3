package dev.asyncpatterns.sim;

import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.asyncpatterns.web.BadRequestException;
import dev.asyncpatterns.web.RouteAnswers;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /sim/status/{code}}, the simulated upstream's busiest endpoint (every retry example, the
 * callback receiver, the benchmark's GET), as a router function rather than an annotated method.
 * Router functions are asked before the annotated mappings, so this path skips the lookup among all
 * of them, and the handler reads its two parameters itself instead of through argument resolvers
 * and a per-call {@code Mono.zip} of them: in one measurement about a third of the CPU of each request
 * (bench/README, ninth round). The answers are those the annotated method gave: errors are the same
 * {@link BadRequestException} problems, and {@link RouteAnswers} gives the ones Spring gave from the
 * mapping (405, {@code OPTIONS}, 406).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "asyncpatterns.sim.enabled", matchIfMissing = true)
class StatusRoute {

    static final String PATH = "/sim/status/{code}";

    /** The body of each status that has one, by {@code code - 100}: written once here, not per request. */
    private final byte[][] bodies = new byte[500][];

    StatusRoute(JsonMapper jsonMapper) {
        for (int code = 100; code <= 599; code++) {
            if (!bodiless(code)) {
                bodies[code - 100] = jsonMapper.writeValueAsBytes(new Answered(code));
            }
        }
    }

    @Bean
    @RouterOperation(path = PATH, method = {RequestMethod.GET, RequestMethod.POST}, operation = @Operation(
            operationId = "status", tags = SimController.TAG, summary = "Answer with any status",
            description = "The upstream an `asyncio.gather` or retry example calls to fail on purpose: answers status "
                    + "`code` (100–599) with `{\"status\": code}` (no body for 1xx, 204 and 304), and a "
                    + "`Retry-After` header when `retryAfter` seconds are given: a 503 or 429 to retry. Answers POST "
                    + "too (its body ignored), so it can stand in for a job's callback receiver.",
            parameters = {
                @Parameter(in = ParameterIn.PATH, name = "code", required = true, example = "503",
                        schema = @Schema(type = "integer", format = "int32", minimum = "100", maximum = "599")),
                @Parameter(in = ParameterIn.QUERY, name = "retryAfter",
                        description = "seconds for a Retry-After header", example = "1",
                        schema = @Schema(type = "integer", format = "int32", minimum = "0", maximum = "86400"))},
            responses = {
                @ApiResponse(responseCode = "200", description = "The status asked for, here 200; any other code "
                        + "answers the same body with that status",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = Answered.class))),
                @ApiResponse(responseCode = "400", description = "A parameter is out of range; the problem names it",
                        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))}))
    RouterFunction<ServerResponse> simStatusRouter() {
        return RouteAnswers.route(PATH, Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST), Set.of(),
                this::answer);
    }

    private Mono<ServerResponse> answer(ServerRequest request) {
        int code = integer("code", request.pathVariable("code"));
        if (code < 100 || code > 599) {
            throw new BadRequestException("code", "must be between 100 and 599");
        }
        String retryAfterParam = request.queryParams().getFirst("retryAfter");
        ServerResponse.BodyBuilder answer = ServerResponse.status(code);
        if (retryAfterParam != null && !retryAfterParam.isEmpty()) {
            int retryAfter = integer("retryAfter", retryAfterParam);
            if (retryAfter < 0 || retryAfter > 86_400) {
                throw new BadRequestException("retryAfter", "must be between 0 and 86400");
            }
            answer.header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfter));
        }
        if (bodiless(code)) {
            return answer.build();
        }
        RouteAnswers.requireJsonAccepted(request);
        // The JSON is the same few bytes for a code every time; encoding it per request, through
        // the codecs' writer lookup and Jackson, was about a sixth of this endpoint's CPU
        // (bench/README, ninth round).
        return RouteAnswers.json(answer, bodies[code - 100]);
    }

    private static boolean bodiless(int code) {
        return code < 200 || code == 204 || code == 304;
    }

    /** As an annotated {@code int} parameter is converted: a value that is not one is a 400 naming it. */
    private static int integer(String name, @Nullable String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        }
        catch (NumberFormatException ex) {
            throw new BadRequestException(name, "has an invalid value");
        }
    }

    /** {@code /sim/status} echoes the status it answered with. */
    record Answered(int status) {
    }
}
