package io.memdoctor.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/** Errors on pages as a readable page (or, for htmx requests, a readable fragment), never a stack trace. */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class PageExceptionHandler {

    @ExceptionHandler(ErrorResponseException.class)
    ModelAndView errorResponse(ErrorResponseException ex) {
        return page(ex.getStatusCode(), ex.getBody().getTitle(), ex.getBody().getDetail());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ModelAndView badRequest(IllegalArgumentException ex) {
        return page(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler(org.springframework.beans.TypeMismatchException.class)
    ModelAndView typeMismatch(org.springframework.beans.TypeMismatchException ex) {
        return page(HttpStatus.BAD_REQUEST, "Invalid request",
                "The value of '" + ex.getPropertyName() + "' is not valid.");
    }

    private static ModelAndView page(HttpStatusCode status, String title, String detail) {
        ModelAndView view = new ModelAndView("error");
        view.setStatus(status);
        view.addObject("status", status.value());
        view.addObject("errorTitle", title == null ? "Error" : title);
        view.addObject("detail", detail);
        return view;
    }
}
