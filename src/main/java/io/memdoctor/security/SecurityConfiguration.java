package io.memdoctor.security;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what. Without configured users (only allowed on loopback) everyone is an operator and nobody logs in;
 * with users, pages use a login form and the API HTTP Basic. In both modes: GET/HEAD need VIEWER, anything else
 * needs OPERATOR, state-changing page requests need the CSRF token, and every answer carries the security headers.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    /** Scripts, styles and images from our own origin only: no inline script anywhere (see docs/decisions.md). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final String[] PUBLIC = {"/login", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**",
        "/favicon.ico", "/actuator/health", "/actuator/health/**"};

    @Bean
    InMemoryUserDetailsManager userDetailsService(SecurityProperties properties, Environment environment) {
        List<UserDetails> users = ConfiguredUsers.of(properties, environment.getProperty("server.address"));
        log.info(users.isEmpty() ? "No users configured: open to this machine only, no login"
                : "{} users configured: login required", users.size());
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties, JsonMapper json,
            InMemoryUserDetailsManager users, PasswordEncoder passwordEncoder, Clock clock) throws Exception {
        ApiProblems apiProblems = new ApiProblems(json, properties.login().window());
        RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
        RequestMatcher actuator = PathPatternRequestMatcher.withDefaults().matcher("/actuator/**");
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(PUBLIC).permitAll()
                .requestMatchers(HttpMethod.GET).hasRole("VIEWER")
                .requestMatchers(HttpMethod.HEAD).hasRole("VIEWER")
                .anyRequest().hasRole("OPERATOR"));
        http.csrf(csrf -> csrf.requireCsrfProtectionMatcher(new CsrfTokenRequired()));
        http.exceptionHandling(exceptions -> exceptions
                .defaultAccessDeniedHandlerFor(apiProblems, api)
                .defaultAuthenticationEntryPointFor(apiProblems, api)
                .defaultAuthenticationEntryPointFor(apiProblems, actuator));
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(frame -> frame.deny())
                .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY)));
        if (properties.users().isEmpty()) {
            // loopback only: whoever can reach the dashboard is its operator
            http.anonymous(anonymous -> anonymous.principal("local")
                    .authorities("ROLE_" + SecurityProperties.Role.VIEWER, "ROLE_" + SecurityProperties.Role.OPERATOR));
            // after the CSRF check, so a plain cross-site request still hears about its missing token
            http.addFilterAfter(new LoopbackHostFilter(new AllowedHosts(properties.allowedHosts()), apiProblems),
                    CsrfFilter.class);
        }
        else {
            HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
            // after login, go back to the page asked for, never to an htmx fragment or an API answer
            requestCache.setRequestMatcher(request -> HttpMethod.GET.matches(request.getMethod())
                    && request.getHeader("HX-Request") == null && !api.matches(request));
            http.requestCache(cache -> cache.requestCache(requestCache));
            http.exceptionHandling(exceptions -> exceptions
                    .defaultAuthenticationEntryPointFor(SecurityConfiguration::toLoginPage, request -> true));
            DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
            passwords.setPasswordEncoder(passwordEncoder);
            http.authenticationManager(new ProviderManager(new ThrottledAuthenticationProvider(passwords,
                    new LoginThrottle(properties.login(), clock))));
            http.formLogin(login -> login.loginPage("/login").failureHandler(SecurityConfiguration::loginFailed)
                    .permitAll());
            http.httpBasic(basic -> basic.realmName(ApiProblems.REALM).authenticationEntryPoint(apiProblems));
            http.logout(Customizer.withDefaults());
        }
        return http.build();
    }

    /** The same words for an unknown user and a wrong password; throttling says so, for either. */
    private static void loginFailed(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException ex) throws IOException {
        response.sendRedirect(request.getContextPath()
                + (ex instanceof LoginThrottledException ? "/login?throttled" : "/login?error"));
    }

    /** Pages go to the login form; an htmx fragment (say the cards' refresh after the session ended) asks htmx to. */
    private static void toLoginPage(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException ex) throws IOException {
        String login = request.getContextPath() + "/login";
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Redirect", login);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        }
        else {
            response.sendRedirect(login);
        }
    }
}
