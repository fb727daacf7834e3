package dev.asyncpatterns.outbound;

import dev.asyncpatterns.web.BadRequestException;

/** A request named a policy instance that is not configured: 400 naming the field. */
public class UnknownPolicyException extends BadRequestException {

    public UnknownPolicyException(String field, String name) {
        super(field, "unknown " + field + " instance '" + name + "'");
    }
}
