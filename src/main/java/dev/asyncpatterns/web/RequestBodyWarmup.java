package dev.asyncpatterns.web;

import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the JSON deserializer of every {@code @RequestBody} type, and of every {@link RouteBodyType}
 * a router function declares, at startup. Jackson builds a
 * type's deserializer on first use under a lock of its own: two first requests of one type at once
 * would park an event loop on it (BlockHound failed tests with it at random), and the first caller
 * of each endpoint would pay for the build. Built here, requests only read Jackson's cache.
 */
@Component
class RequestBodyWarmup implements SmartInitializingSingleton {

    private final List<RequestMappingHandlerMapping> mappings;
    private final ObjectProvider<RouteBodyType> routeBodies;
    private final JsonMapper jsonMapper;
    private final Set<Type> warmed = new LinkedHashSet<>();

    /** Every mapping (the application's controllers, any other annotated handlers) and every route body. */
    RequestBodyWarmup(List<RequestMappingHandlerMapping> mappings, ObjectProvider<RouteBodyType> routeBodies,
            JsonMapper jsonMapper) {
        this.mappings = mappings;
        this.routeBodies = routeBodies;
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (HandlerMethod method : mappings.stream().flatMap(mapping -> mapping.getHandlerMethods().values().stream())
                .toList()) {
            for (MethodParameter parameter : method.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    warm(bodyType(ResolvableType.forMethodParameter(parameter)));
                }
            }
        }
        routeBodies.orderedStream().forEach(body -> warm(body.type()));
    }

    private void warm(Type body) {
        // readerFor fetches the root deserializer eagerly (EAGER_DESERIALIZER_FETCH).
        jsonMapper.readerFor(jsonMapper.constructType(body));
        warmed.add(body);
    }

    /** The types warmed, for the test that checks none is missed. */
    Set<Type> warmed() {
        return Set.copyOf(warmed);
    }

    /** {@code Mono<T>} and {@code Flux<T>} bodies are read as {@code T}. */
    private static Type bodyType(ResolvableType type) {
        Class<?> raw = type.resolve(Object.class);
        return Mono.class.isAssignableFrom(raw) || Flux.class.isAssignableFrom(raw)
                ? type.getGeneric(0).getType() : type.getType();
    }
}
