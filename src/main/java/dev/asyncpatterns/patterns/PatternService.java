package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Service;

import dev.asyncpatterns.web.BadRequestException;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Looks a pattern up by name, binds and checks its parameters (400 naming the field), bounds
 * how many runs go at once (429) and how long one may take, and times each run by pattern
 * and outcome in {@code asyncpatterns.patterns.runs}.
 */
@Service
class PatternService {

    private final Map<String, Pattern<?>> patterns;
    private final JsonMapper jsonMapper;
    private final Validator validator;
    private final PatternsProperties properties;
    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    PatternService(List<Pattern<?>> patterns, JsonMapper jsonMapper, Validator validator,
            PatternsProperties properties, MeterRegistry registry) {
        this.patterns = patterns.stream()
            .collect(Collectors.toMap(Pattern::name, Function.identity(), (a, b) -> a, TreeMap::new));
        this.jsonMapper = jsonMapper;
        this.validator = validator;
        this.properties = properties;
        this.registry = registry;
    }

    Set<String> names() {
        return patterns.keySet();
    }

    /** Validates synchronously (so bad input fails before anything runs), then runs. */
    Mono<PatternResult> run(String name, JsonNode body) {
        Pattern<?> pattern = patterns.get(name);
        if (pattern == null) {
            return Mono.error(new PatternProblems.PatternNotFoundException(name, names()));
        }
        return Mono.defer(() -> start(pattern, body));
    }

    private <P> Mono<PatternResult> start(Pattern<P> pattern, JsonNode body) {
        P params = bind(pattern, body);
        pattern.check(params, properties.maxRun().toMillis());
        if (running.incrementAndGet() > properties.maxConcurrentRuns()) {
            running.decrementAndGet();
            return Mono.error(new PatternProblems.TooManyRunsException(properties.maxConcurrentRuns()));
        }
        Timer.Sample sample = Timer.start(registry);
        return PatternRuns.execute(pattern, params, properties.maxRun())
            .onErrorMap(TimeoutException.class,
                    timeout -> new PatternProblems.RunTimeoutException(pattern.name(), properties.maxRun().toMillis()))
            .doOnEach(signal -> {
                if (signal.isOnNext() || signal.isOnError()) {
                    sample.stop(runs(pattern.name(), signal.isOnNext() ? "ok" : "error"));
                }
            })
            .doOnCancel(() -> sample.stop(runs(pattern.name(), "cancelled")))
            .doFinally(signal -> running.decrementAndGet());
    }

    private Timer runs(String pattern, String outcome) {
        return Timer.builder("asyncpatterns.patterns.runs")
            .description("Pattern runs by pattern and outcome")
            .tag("pattern", pattern)
            .tag("outcome", outcome)
            .register(registry);
    }

    private <P> P bind(Pattern<P> pattern, JsonNode body) {
        JsonNode node = body == null || body.isNull() || body.isMissingNode() ? jsonMapper.createObjectNode() : body;
        if (!node.isObject()) {
            throw new BadRequestException("body", "must be a JSON object of the " + pattern.name() + " parameters");
        }
        P params;
        try {
            params = jsonMapper.readerFor(pattern.parameters())
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(node);
        }
        catch (UnrecognizedPropertyException ex) {
            throw new BadRequestException(ex.getPropertyName(), "is not a parameter of the " + pattern.name()
                    + " pattern; it takes " + ex.getKnownPropertyIds());
        }
        catch (JacksonException ex) {
            String field = ex.getPath().isEmpty() ? "body" : ex.getPath().get(ex.getPath().size() - 1).getPropertyName();
            throw new BadRequestException(field, "must be an integer");
        }
        Set<ConstraintViolation<P>> violations = validator.validate(params);
        violations.stream()
            .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
            .ifPresent(v -> {
                throw new BadRequestException(v.getPropertyPath().toString(), v.getMessage());
            });
        return params;
    }
}
