package dev.asyncpatterns.web;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webflux.actuate.endpoint.web.AbstractWebFluxEndpointHandlerMapping;
import org.springframework.boot.webflux.actuate.endpoint.web.ControllerEndpointHandlerMapping;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;

/**
 * Asks the service's own request mappings before the actuator's. Boot orders the actuator's
 * endpoint mappings first (-100), so every request, {@code POST /api/jobs} included, was first
 * matched against each actuator endpoint: none is a direct hit for an API path, so each request
 * went through all of them by pattern, and then once more to rule out a 405 (a twentieth of a
 * request's CPU in a profile of bench W3). After the service's mappings (order 0), only
 * {@code /actuator} requests reach them, which no service mapping matches (the service maps
 * {@code /api}, {@code /sim} and its documentation only); before the static resources
 * ({@code Ordered.LOWEST_PRECEDENCE - 1}), which map every path.
 */
@Component
class ActuatorMappingsAfterTheApi implements BeanPostProcessor {

    static final int ORDER = 1;

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractWebFluxEndpointHandlerMapping || bean instanceof ControllerEndpointHandlerMapping) {
            ((AbstractHandlerMapping) bean).setOrder(ORDER);
        }
        return bean;
    }
}
