"""Tiny invented comments for the theme tests: three themes in each language, eight variants each."""
from __future__ import annotations

#: language -> theme -> comments (written for these tests; no data set's sentences)
COMMENTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "delivery": [
            "The delivery was late again.", "My delivery arrived two days late.",
            "Late delivery, the parcel came a week after the date.", "The courier delivery was very late.",
            "Delivery late and nobody told me.", "The delivery came late in the evening.",
            "Another late delivery from this courier.", "The parcel delivery was late and damaged.",
        ],
        "staff": [
            "The staff were friendly and helpful.", "Very friendly staff at the counter.",
            "The staff was friendly and quick.", "Friendly staff who explained everything.",
            "The shop staff were really friendly.", "Staff friendly and polite as always.",
            "Such friendly staff, thank you.", "The friendly staff helped me choose.",
        ],
        "price": [
            "The price is too high.", "High price for such a small thing.",
            "The price was higher than last year.", "Price too high compared with other shops.",
            "A very high price for what you get.", "The monthly price is high.",
            "High price, I will look elsewhere.", "The price went up and is now too high.",
        ],
    },
    "es": {
        "delivery": [
            "La entrega llegó tarde otra vez.", "Mi entrega llegó dos días tarde.",
            "Entrega tarde, el paquete llegó una semana después.", "La entrega del mensajero fue muy tarde.",
            "Entrega tarde y nadie me avisó.", "La entrega llegó tarde por la noche.",
            "Otra entrega tarde de este mensajero.", "La entrega del paquete llegó tarde y rota.",
        ],
        "staff": [
            "El personal fue amable y atento.", "Personal muy amable en el mostrador.",
            "El personal era amable y rápido.", "Personal amable que me explicó todo.",
            "El personal de la tienda fue muy amable.", "Personal amable y educado como siempre.",
            "Qué personal tan amable, gracias.", "El personal amable me ayudó a elegir.",
        ],
        "price": [
            "El precio es demasiado alto.", "Precio alto para algo tan pequeño.",
            "El precio era más alto que el año pasado.", "Precio demasiado alto comparado con otras tiendas.",
            "Un precio muy alto para lo que ofrecen.", "El precio mensual es alto.",
            "Precio alto, buscaré en otro sitio.", "El precio subió y ahora es demasiado alto.",
        ],
    },
    "it": {
        "delivery": [
            "La consegna è arrivata in ritardo di nuovo.", "La mia consegna è arrivata con due giorni di ritardo.",
            "Consegna in ritardo, il pacco è arrivato una settimana dopo.", "La consegna del corriere in forte ritardo.",
            "Consegna in ritardo e nessuno mi ha avvisato.", "La consegna è arrivata in ritardo la sera.",
            "Un'altra consegna in ritardo di questo corriere.", "La consegna del pacco in ritardo e rotto.",
        ],
        "staff": [
            "Il personale è stato gentile e disponibile.", "Personale molto gentile al banco.",
            "Il personale era gentile e veloce.", "Personale gentile che mi ha spiegato tutto.",
            "Il personale del negozio è stato molto gentile.", "Personale gentile ed educato come sempre.",
            "Che personale gentile, grazie.", "Il personale gentile mi ha aiutato a scegliere.",
        ],
        "price": [
            "Il prezzo è troppo alto.", "Prezzo alto per una cosa così piccola.",
            "Il prezzo era più alto dell'anno scorso.", "Prezzo troppo alto rispetto ad altri negozi.",
            "Un prezzo molto alto per quello che offrono.", "Il prezzo mensile è alto.",
            "Prezzo alto, cercherò altrove.", "Il prezzo è salito e ora è troppo alto.",
        ],
    },
    "pt": {
        "delivery": [
            "A entrega chegou atrasada outra vez.", "A minha entrega chegou dois dias atrasada.",
            "Entrega atrasada, o pacote chegou uma semana depois.", "A entrega do estafeta veio muito atrasada.",
            "Entrega atrasada e ninguém me avisou.", "A entrega chegou atrasada à noite.",
            "Mais uma entrega atrasada deste estafeta.", "A entrega do pacote chegou atrasada e partida.",
        ],
        "staff": [
            "Os funcionários foram simpáticos e atenciosos.", "Funcionários muito simpáticos no balcão.",
            "Os funcionários eram simpáticos e rápidos.", "Funcionários simpáticos que explicaram tudo.",
            "Os funcionários da loja foram muito simpáticos.", "Funcionários simpáticos e educados como sempre.",
            "Que funcionários tão simpáticos, obrigado.", "Os funcionários simpáticos ajudaram-me a escolher.",
        ],
        "price": [
            "O preço é demasiado alto.", "Preço alto para uma coisa tão pequena.",
            "O preço estava mais alto do que no ano passado.", "Preço demasiado alto comparado com outras lojas.",
            "Um preço muito alto para o que oferecem.", "O preço mensal é alto.",
            "Preço alto, vou procurar noutro sítio.", "O preço subiu e agora está demasiado alto.",
        ],
    },
}

#: the word each theme's name should contain, per language (lemma or surface form, folded)
KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"delivery": ("delivery", "late"), "staff": ("staff", "friendly"), "price": ("price", "high")},
    "es": {"delivery": ("entrega", "tarde"), "staff": ("personal", "amable"), "price": ("precio", "alto")},
    "it": {"delivery": ("consegna", "ritardo"), "staff": ("personale", "gentile"), "price": ("prezzo", "alto")},
    "pt": {"delivery": ("entrega", "atrasada"), "staff": ("funcionarios", "simpaticos"), "price": ("preco", "alto")},
}
#: the CX topic each theme should sit under
TOPICS = {"delivery": "process", "staff": "people", "price": "price"}


def labelled(lang: str) -> tuple[list[str], list[str]]:
    """Comments of one language and their theme, interleaved (delivery, staff, price, delivery, ...)."""
    groups = COMMENTS[lang]
    texts, labels = [], []
    for i in range(8):
        for name, items in groups.items():
            texts.append(items[i])
            labels.append(name)
    return texts, labels
