"""How the default pipeline reads plain customer comments: one small fixture per phenomenon and
language (issue 13). Each case is a comment a CX analyst reads one way only; there are no
accuracy thresholds here (those are measured by ``benchmarks/reading.py``). The default model's
known misses are marked ``xfail(strict=True)``: the day one reads right, the test says so."""
from __future__ import annotations

import pytest

import cxtext


class _Reader:
    """The default analyzer, told the language (as ``--lang`` does) or detecting it."""

    def __init__(self) -> None:
        self._by_lang: dict[str | None, cxtext.Analyzer] = {}

    def __call__(self, text: str, lang: str | None = None):
        if lang not in self._by_lang:
            self._by_lang[lang] = cxtext.Analyzer(languages=[lang]) if lang else cxtext.Analyzer()
        return self._by_lang[lang](text)


@pytest.fixture(scope="module")
def analyzer() -> _Reader:
    return _Reader()


def _topics(result) -> dict[str, str]:
    return dict(result.topic_sentiment)


# -- complaints and praise stated as facts -------------------------------------------------------

FACT_COMPLAINTS = [
    ("I was on hold for 45 minutes.", "en"),
    ("The package never arrived.", "en"),
    ("Me cobraron dos veces.", "es"),
    ("Mi hanno risposto dopo tre settimane.", "it"),
    ("Fiquei duas horas esperando na fila do caixa.", "pt"),
    ("They promised a callback within 24 hours. That was two weeks ago.", "en"),
    ("Me dijeron que me llamarían al día siguiente y todavía estoy esperando.", "es"),
    ("Il tecnico doveva venire lunedì, non si è visto nessuno.", "it"),
    ("Os preços estão muito caros.", "pt"),
    pytest.param("Extraviaram minha bagagem.", "pt", marks=pytest.mark.xfail(
        strict=True, reason="known miss of cxtext-fast-5: 'extraviar' (to lose) is in no lexicon and reads as praise")),
]


@pytest.mark.parametrize("text, lang", FACT_COMPLAINTS)
def test_complaints_stated_as_facts_are_negative(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "negative", result


FACT_PRAISE = [
    ("It arrived a day early.", "en"),
    ("The technician fixed it in five minutes.", "en"),
    ("O estorno caiu no dia seguinte.", "pt"),
    pytest.param("Me devolvieron el dinero en dos días.", "es", marks=pytest.mark.xfail(
        strict=True, reason="known miss of cxtext-fast-5: a refund stated as a fact reads as a complaint")),
    ("Il rimborso è arrivato il giorno dopo.", "it"),
]


@pytest.mark.parametrize("text, lang", FACT_PRAISE)
def test_praise_stated_as_facts_is_positive(analyzer, text, lang):
    assert analyzer(text, lang=lang).sentiment == "positive"


_MISS_AMOUNTS = "known miss of cxtext-fast-5: an amount of money still reads as a complaint"

AMOUNTS_STATED_NEUTRALLY = [
    pytest.param("Pagué 35 euros por la revisión del coche.", "es", marks=pytest.mark.xfail(
        strict=True, reason="known miss of cxtext-fast-5: a plain payment reads as praise")),
    ("Ho rinnovato l'abbonamento annuale a 120 euro.", "it"),
    ("Paguei a segunda parcela de R$ 89 no dia 10.", "pt"),
    ("I pay £18 a month for the broadband.", "en"),
]


@pytest.mark.parametrize("text, lang", AMOUNTS_STATED_NEUTRALLY)
def test_a_payment_stated_without_judgement_is_neutral(analyzer, text, lang):
    assert analyzer(text, lang=lang).sentiment == "neutral"


MONEY_PRAISE = [
    ("Me bajaron la cuota 6 euros al mes sin pedirlo.", "es"),
    ("Mi hanno rimborsato i 40 euro in due giorni.", "it"),
    pytest.param("A fatura veio 30 reais mais barata este mês.", "pt", marks=pytest.mark.xfail(
        strict=True, reason=_MISS_AMOUNTS)),
    ("They knocked £25 off the bill after the outage.", "en"),
]


@pytest.mark.parametrize("text, lang", MONEY_PRAISE)
def test_money_given_back_or_saved_is_praise(analyzer, text, lang):
    assert analyzer(text, lang=lang).sentiment == "positive"


# -- nothing to say: neutral, no topic, no emotion ------------------------------------------------

NOTHING = [("Nada que añadir", "es"), ("Niente da segnalare.", "it"), ("Nada a declarar.", "pt"),
           ("n/a", "en"), ("Nothing else to add.", "en")]


@pytest.mark.parametrize("text, lang", NOTHING)
def test_nothing_to_add_is_neutral_without_topic_or_emotion(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert (result.sentiment, tuple(result.topics), list(result.emotions)) == ("neutral", (), [])


DOUBLE_CHARGES = [("Me cobraron dos veces", "es"), ("I was charged twice for the same order.", "en"),
                  ("Mi hanno addebitato due volte lo stesso ordine.", "it"), ("Cobraram duas vezes no meu cartão.", "pt")]


@pytest.mark.parametrize("text, lang", DOUBLE_CHARGES)
def test_a_double_charge_is_negative_with_price_and_process(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "negative"
    assert {"price", "process"} <= set(_topics(result)), result
    assert _topics(result)["price"] == "negative"


HIGH_BILLS = [("La factura de este mes es altísima.", "es"), ("La bolletta di questo mese è altissima.", "it"),
              ("A fatura deste mês veio altíssima.", "pt"), ("This month's bill is huge.", "en"),
              ("Le bollette sono carissime.", "it")]


@pytest.mark.parametrize("text, lang", HIGH_BILLS)
def test_the_size_of_a_bill_is_a_price_topic(analyzer, text, lang):
    # a bill is a billing (process) word; judged by its amount, it is the price
    assert _topics(analyzer(text, lang=lang)).get("price") == "negative"


PRICE_WORDS = [
    ("My premium went up 20% at renewal.", "en"), ("The train fare doubled overnight.", "en"),
    ("Me han subido los intereses de la tarjeta.", "es"),
    pytest.param("El peaje de la autopista es un robo.", "es", marks=pytest.mark.xfail(
        strict=True, reason="known miss of cxtext-fast-5: the topic head, which never saw 'peaje', "
                            "drops the codebook's price match")),
    ("Mi hanno aumentato la rata del mutuo.", "it"), ("Ho pagato una multa che non dovevo.", "it"),
    ("A anuidade do cartão é um absurdo.", "pt"), ("O pedágio subiu de novo.", "pt"),
]


@pytest.mark.parametrize("text, lang", PRICE_WORDS)
def test_common_price_words_are_a_price_topic(analyzer, text, lang):
    assert _topics(analyzer(text, lang=lang)).get("price") == "negative"


@pytest.mark.parametrize("text", ["She was in charge of the booking and was brilliant.",
                                  "The queue was in excess of two hours.", "Bill was very helpful on the phone."])
def test_price_words_in_other_senses_are_not_a_price(analyzer, text):
    assert "price" not in _topics(analyzer(text, lang="en"))


@pytest.mark.parametrize("text, lang", [("Ho ricevuto la bolletta in ritardo.", "it"), ("A fatura veio errada.", "pt"),
                                        ("Me llegó la factura con un error.", "es")])
def test_a_late_or_wrong_bill_is_process_not_price(analyzer, text, lang):
    topics = _topics(analyzer(text, lang=lang))
    assert "process" in topics and "price" not in topics, topics


def test_expensive_prices_are_a_negative_price_topic(analyzer):
    result = analyzer("Os preços estão muito caros.", lang="pt")
    assert _topics(result).get("price") == "negative"


HIGH_PRICES = [
    ("The price is very high.", "en"),
    ("Fees are really high.", "en"),
    ("Il prezzo è molto alto.", "it"),
    ("Il canone è molto alto.", "it"),
    ("O preço é alto.", "pt"),
    ("O preço é muito alto.", "pt"),
    ("A mensalidade é muito alta.", "pt"),
    ("El precio es muy alto.", "es"),
    ("Los precios son altísimos.", "es"),
    ("La cuota es muy alta.", "es"),
]


@pytest.mark.parametrize("text, lang", HIGH_PRICES)
def test_a_high_price_is_a_negative_price_topic(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "negative" and _topics(result).get("price") == "negative", result


LOW_PRICES = [("Low prices and the staff are friendly.", "en"), ("Precios bajos y envío rápido.", "es"),
              ("Prezzi bassi e consegna puntuale.", "it"), ("Preço baixo e entrega rápida.", "pt")]


@pytest.mark.parametrize("text, lang", LOW_PRICES)
def test_a_low_price_is_a_positive_price_topic(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "positive" and _topics(result).get("price") == "positive", result


@pytest.mark.parametrize("text, lang", [("La calidad es muy alta.", "es"), ("A qualidade é muito alta.", "pt")])
def test_high_quality_stays_praise(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "positive" and "price" not in _topics(result), result


# -- the verdict wins over one complaint clause ---------------------------------------------------

VERDICTS = [
    pytest.param("Veramente valida e stimolante. Peccato costi un po' troppo.", "it", "price", marks=pytest.mark.xfail(
        strict=True, reason="known miss of cxtext-fast-5: 'peccato' outweighs a verdict it reads as weak")),
    ("Great phone, fast and the battery lasts two days. Only the price is a bit high.", "en", "price"),
    ("Me encanta, la calidad es excelente y lo volvería a comprar. Lo único, el envío tardó un poco.",
     "es", "process"),
    ("Adorei o produto, veio bem embalado e funciona perfeitamente. Só a entrega demorou um pouco.", "pt", "process"),
]


@pytest.mark.parametrize("text, lang, complaint", VERDICTS)
def test_a_positive_verdict_stands_despite_one_complaint(analyzer, text, lang, complaint):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "positive" and result.score > 0, result
    assert _topics(result).get(complaint) in ("negative", "mixed"), result


# -- a topic clause stated as a fact leans on the comment's verdict ------------------------------

_REFUND_MISS = pytest.mark.xfail(strict=True, reason="known miss of cxtext-fast-5: the refund clause alone "
                                 "reads as a complaint too strongly for the comment's verdict to turn it")
IN_COMMENT = [
    ("The courier rang the bell at 7:55 with the parcel I ordered at midnight. Amazing.", "en", "process"),
    ("The refund of £40 was in my account the day after I asked. Very good.", "en", "process"),
    ("Il corriere ha citofonato alle 7:55 con il pacco ordinato a mezzanotte. Fantastico.", "it", "process"),
    pytest.param("El reembolso de los 40 euros llegó a la cuenta al día siguiente de pedirlo. Muy bien.", "es",
                 "process", marks=_REFUND_MISS),
    pytest.param("Il rimborso dei 40 euro è arrivato sul conto il giorno dopo la richiesta. Bravissimi.", "it",
                 "process", marks=_REFUND_MISS),
    pytest.param("O reembolso dos 40 reais caiu na conta no dia seguinte ao pedido. Muito bom.", "pt",
                 "process", marks=_REFUND_MISS),
]


@pytest.mark.parametrize("text, lang, topic", IN_COMMENT)
def test_a_fact_clause_takes_the_comments_praise(analyzer, text, lang, topic):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "positive" and _topics(result).get(topic) == "positive", result


# -- questions and requests are not praise --------------------------------------------------------

REQUESTS = [("I need you to be a better airline!!", "en"), ("Can someone help me with my refund?", "en"),
            ("¿Alguien me puede ayudar con la factura?", "es"), ("Qualcuno può aiutarmi con il rimborso?", "it"),
            ("Alguém pode me ajudar com a fatura?", "pt")]


@pytest.mark.parametrize("text, lang", REQUESTS)
def test_questions_and_requests_are_not_praise(analyzer, text, lang):
    assert analyzer(text, lang=lang).sentiment != "positive"


# -- emotions only where the text shows them ------------------------------------------------------

FACTUAL = [("I changed my address last month.", "en"), ("Compré el plan de 20 GB en marzo.", "es"),
           ("Ho rinnovato l'abbonamento a gennaio.", "it"), ("Fiz a portabilidade em janeiro.", "pt")]


@pytest.mark.parametrize("text, lang", FACTUAL)
def test_neutral_factual_comments_have_no_emotion(analyzer, text, lang):
    assert list(analyzer(text, lang=lang).emotions) == []


# plain questions and a bare "nope": the per-label thresholds alone gave them anticipation or anger
QUESTIONS = [("Is there a student discount?", "en"), ("nope", "en"), ("¿Cuándo empiezan las rebajas?", "es"),
             ("C'è uno sconto per studenti?", "it"), ("Tem desconto para estudante?", "pt")]


@pytest.mark.parametrize("text, lang", QUESTIONS)
def test_plain_questions_have_no_emotion(analyzer, text, lang):
    assert list(analyzer(text, lang=lang).emotions) == []


def test_a_neutral_question_still_shows_a_clear_fear(analyzer):
    result = analyzer("Tengo miedo de perder el vuelo, ¿puedo adelantarlo?", lang="es")
    assert "fear" in result.emotions


ANGRY = [("Es una vergüenza, tres semanas sin internet y nadie da la cara.", "es"),
         ("Absolutely furious, third time the engineer hasn't shown up.", "en"),
         ("Sono furioso, è la terza volta che il tecnico non si presenta.", "it"),
         ("Estou revoltado, é a terceira vez que o técnico não aparece.", "pt")]


@pytest.mark.parametrize("text, lang", ANGRY)
def test_an_angry_complaint_shows_anger(analyzer, text, lang):
    assert "anger" in analyzer(text, lang=lang).emotions


SOLVED = [
    ("Se me rompió la lavadora el viernes y el técnico la dejó arreglada el sábado por la mañana. ¡Mil gracias!", "es"),
    ("El paquete estuvo parado varios días, pero una agente muy amable lo solucionó y me llegó al día siguiente. "
     "Un servicio genial.", "es"),
    ("La caldaia si è rotta venerdì sera e il tecnico l'ha riparata sabato mattina. Grazie mille!", "it"),
    ("O pacote ficou parado vários dias, mas uma atendente muito gentil resolveu e chegou no dia seguinte. "
     "Atendimento ótimo.", "pt"),
    ("My boiler broke down on Friday night and the engineer had it fixed by Saturday morning. Thank you so much!",
     "en"),
]


@pytest.mark.parametrize("text, lang", SOLVED)
def test_praise_for_a_solved_problem_shows_no_anger_or_sadness(analyzer, text, lang):
    result = analyzer(text, lang=lang)
    assert result.sentiment == "positive" and not {"anger", "disgust", "sadness"} & set(result.emotions), result


# -- topics without false triggers, with their evidence -------------------------------------------

AMBIGUOUS = [
    ("They answered fast, thanks.", "en", "product"),  # "fast" is the process's speed, not the product
    ("Well packed and it arrived safely.", "en", "place"),  # packaging, not a packed place
    ("A caixa veio amassada.", "pt", "people"),  # a box, not a cashier
    ("Contestaron rápido, gracias.", "es", "product"),
]


@pytest.mark.parametrize("text, lang, topic", AMBIGUOUS)
def test_an_ambiguous_word_alone_is_not_a_topic(analyzer, text, lang, topic):
    assert topic not in _topics(analyzer(text, lang=lang))


def test_common_product_words_are_found(analyzer):
    assert "product" in _topics(analyzer("La talla de las zapatillas no corresponde.", lang="es"))
    assert "promotion" in _topics(analyzer("El código de descuento no funcionó.", lang="es"))
    assert "product" in _topics(analyzer("O tamanho não serve.", lang="pt"))


_UNSEEN = "known miss of cxtext-fast-5: the topic head, which never saw this channel word, drops the codebook's match"

TOPIC_WORDS = [  # the word that names the topic is its evidence (the codebook's match, kept by the topic head)
    ("The router keeps dropping the connection.", "en", "product", "router"),
    ("El router se desconecta cada noche.", "es", "product", "router"),
    ("Il modem si spegne da solo.", "it", "product", "modem"),
    ("O roteador parou de funcionar.", "pt", "product", "roteador"),
    ("La talla no corresponde con la tabla.", "es", "product", "talla"),
    ("La taglia è sbagliata.", "it", "product", "taglia"),
    ("The nurse was lovely and explained everything.", "en", "people", "nurse"),
    ("La enfermera fue muy amable.", "es", "people", "enfermera"),
    ("L'infermiera è stata gentilissima.", "it", "people", "infermiera"),
    ("A enfermeira foi muito atenciosa.", "pt", "people", "enfermeira"),
    ("They lost my luggage on the way back.", "en", "process", "luggage"),
    ("Perdieron mi equipaje en el vuelo de vuelta.", "es", "process", "equipaje"),
    ("Hanno perso il mio bagaglio.", "it", "process", "bagaglio"),
    ("Extraviaram minha bagagem.", "pt", "process", "bagagem"),
    ("The chatbot just goes round in circles.", "en", "place", "chatbot"),
    ("El chatbot no entiende nada.", "es", "place", "chatbot"),
    pytest.param("Nobody answers the helpline.", "en", "place", "helpline",
                 marks=pytest.mark.xfail(strict=True, reason=_UNSEEN)),
    ("Il numero verde non risponde mai.", "it", "place", "numero verde"),  # several words: always kept
]


@pytest.mark.parametrize("text, lang, topic, word", TOPIC_WORDS)
def test_common_cx_words_name_their_topic(analyzer, text, lang, topic, word):
    result = analyzer(text, lang=lang)
    assert word in [ev["text"] for ev in result.evidence.get(topic, [])], result.evidence


def test_an_airport_as_a_destination_is_not_a_place(analyzer):
    text = "Fixed fare of $55 to the airport, paid exactly what they quoted."
    assert "place" not in _topics(analyzer(text, lang="en"))


def test_every_topic_keeps_an_evidence_span(analyzer):
    text = "Me cobraron dos veces y el agente fue muy amable."
    result = analyzer(text, lang="es")
    assert result.topics
    for topic in result.topics:
        spans = result.evidence[topic]
        assert spans and all(text[ev["start"]:ev["end"]] == ev["text"] for ev in spans), topic


# -- language detection that survives shouting ----------------------------------------------------

@pytest.mark.parametrize("text, lang", [("ENTREGA ATRASADA!!!!!!", "pt"), ("Todo perfecto, repetiré.", "es"),
                                        ("CONSEGNA IN RITARDO!!!", "it"), ("WORST SERVICE EVER!!!", "en"),
                                        ("Tutto perfetto, tornerò.", "it"), ("Tudo certo, voltarei.", "pt")])
def test_shouting_and_short_comments_get_their_language(analyzer, text, lang):
    assert analyzer(text).language == lang
