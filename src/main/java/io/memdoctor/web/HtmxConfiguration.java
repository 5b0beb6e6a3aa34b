package io.memdoctor.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxViewResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the htmx library leaves to us. Its {@code redirect:htmx:} and {@code refresh:htmx} views: its
 * auto-configuration registers their resolver only when some {@code View} bean exists, and this application has
 * none. And {@code Vary: HX-Request} on full pages: pages and fragments share one URL ({@code @HxRequest} picks the
 * fragment handler), the library says it on fragments only, and a cache that kept a page without it could hand
 * that page to htmx.
 */
@Configuration(proxyBeanMethods = false)
class HtmxConfiguration implements WebMvcConfigurer {

    private static final String HX_REQUEST = "HX-Request";

    @Bean
    HtmxViewResolver htmxViewResolver() {
        HtmxViewResolver resolver = new HtmxViewResolver();
        // ahead of Thymeleaf, which would read "redirect:htmx:/x" as a plain redirect
        resolver.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (request.getHeader(HX_REQUEST) == null) {
                    response.addHeader("Vary", HX_REQUEST);
                }
                return true;
            }
        }).excludePathPatterns("/api/**", "/actuator/**", "/v3/**", "/swagger-ui/**");
    }
}
