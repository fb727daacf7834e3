package dev.asyncpatterns.web;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problems the one way every feature's exceptions and handlers need them. */
public final class Problems {

    private Problems() {
    }

    /** A problem with its {@code type}, {@code title}, {@code status} and {@code detail} set. */
    public static ProblemDetail of(HttpStatusCode status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }
}
